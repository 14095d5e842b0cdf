"""Follow-up sections placed in shared event pages without changing their views: the user's
pending surveys and reminders ("My registrations", the session list) and a session's figures
(session detail). Each runs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django import template

from ..services import reminders, surveys
from ..statistics import session_figures

register = template.Library()


@register.inclusion_tag("events/followup/_notices_list.html", takes_context=True)
def followup_notices(context: Any) -> dict[str, Any]:
    user = context["request"].user
    pending = surveys.surveys_pending(user=user)
    for registration in pending:
        registration.survey_token = surveys.survey_token(registration)
    items = reminders.reminders_for(user=user)
    for reminder in items:
        reminder.task_labels = [reminders.TASK_LABELS[t] for t in reminder.tasks if t in reminders.TASK_LABELS]
    return {"pending": pending, "reminders": items}


@register.inclusion_tag("events/followup/_session_figures.html", takes_context=True)
def session_followup(context: Any) -> dict[str, Any]:
    user = context["request"].user
    session = context["session"]
    return {
        "session": session,
        "figures": session_figures(user=user, session=session),
        "can_see": user.has_perm("events.view_statistics"),
    }
