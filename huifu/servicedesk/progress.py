"""Progress of a Member Voice feedback form (issue #10, point 6): the stages of
``FORM_TRANSITIONS`` (docs/workflows.md), who acts next, by when, and the viewer's next action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.core.progress import NextAction, Stepper, build_stepper, tracked_due

from .models import FormStatus


def form_progress(form: Any, *, user: Any, tracked: Any = None, reply: Any = None) -> Stepper:
    status = form.status
    path = [
        (FormStatus.DRAFT, pgettext("workflow", "Received")),
        (FormStatus.SUBMITTED, FormStatus.SUBMITTED.label),
        (FormStatus.IN_PROGRESS, FormStatus.IN_PROGRESS.label),
        (FormStatus.REPLY_DRAFTED, FormStatus.REPLY_DRAFTED.label),
        (FormStatus.REPLIED, FormStatus.REPLIED.label),
        (FormStatus.CLOSED, FormStatus.CLOSED.label),
    ]
    coordinator = _("Member Management")
    company = _("the member company")
    next_actor = {
        FormStatus.DRAFT: coordinator,
        FormStatus.SUBMITTED: coordinator,
        FormStatus.IN_PROGRESS: _("the assigned departments"),
        FormStatus.WAITING_MEMBER: company,
        FormStatus.REPLY_DRAFTED: _("the approver"),
        FormStatus.REPLIED: coordinator,
    }.get(status, "")
    can = user.has_perm
    action = None
    if status == FormStatus.DRAFT and can("servicedesk.manage_feedback"):
        action = NextAction(
            _("Confirm and number this draft"), reverse("servicedesk:form_confirm", args=[form.pk]), post=True
        )
    elif status == FormStatus.WAITING_MEMBER and can("servicedesk.answer_clarification", form):
        action = NextAction(_("Answer the question"), "#clarify")
    elif status in (FormStatus.SUBMITTED, FormStatus.IN_PROGRESS) and can("servicedesk.compose_reply"):
        action = NextAction(_("Compose the reply"), "#compose")
    elif status == FormStatus.REPLY_DRAFTED and can("servicedesk.approve_reply"):
        # reply_compose creates the draft reply as it moves the form here (docs/workflows.md).
        action = NextAction(_("Approve and send"), "#reply")
    elif status == FormStatus.REPLIED and can("servicedesk.manage_feedback"):
        action = NextAction(pgettext("feedback", "Close"), reverse("servicedesk:form_close", args=[form.pk]), post=True)
    due_at, paused = tracked_due(tracked)
    return build_stepper(
        path=path,
        status=status,
        status_label=form.get_status_display(),
        at_stage={FormStatus.WAITING_MEMBER: FormStatus.IN_PROGRESS},
        notes={
            FormStatus.WAITING_MEMBER: (_("Waiting for the member"), "warn"),
            FormStatus.DRAFT: (_("not yet numbered"), "warn"),
        },
        next_actor=next_actor,
        due_at=due_at,
        paused=paused,
        action=action,
    )
