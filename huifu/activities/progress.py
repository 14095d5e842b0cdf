"""Progress of a co-hosted activity (issue #10, point 6): the stages of ``TRANSITIONS``
(docs/workflows.md), who acts next, by when, and the viewer's next action on the detail page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from huifu.core.progress import NextAction, Stepper, build_stepper, tracked_due

from .models import ActivityStatus as S


def activity_progress(activity: Any, *, user: Any, tracked_items: Any = ()) -> Stepper:
    status = activity.status
    path = [
        (s, s.label)
        for s in (
            S.DRAFT,
            S.SUBMITTED,
            S.APPROVED,
            S.HELD,
            S.SUMMARY_SUBMITTED,
            S.SUMMARY_ACCEPTED,
            S.INVOICED,
            S.PAID,
            S.CLOSED,
        )
    ]
    organiser, reviewers = _("the organiser"), _("Member Management")
    next_actor = {
        S.DRAFT: organiser,
        S.RETURNED: organiser,
        S.SUBMITTED: reviewers,
        S.APPROVED: organiser,
        S.HELD: organiser,
        S.SUMMARY_RETURNED: organiser,
        S.SUMMARY_SUBMITTED: reviewers,
        S.SUMMARY_ACCEPTED: organiser,
        S.INVOICED: _("Finance"),
        S.PAID: reviewers,
    }.get(status, "")
    can = user.has_perm
    action = None
    if status in (S.DRAFT, S.RETURNED) and can("activities.change_activity", activity):
        action = NextAction(_("Submit for review"), "#submit-box")
    elif status == S.SUBMITTED and can("activities.review_activity", activity):
        action = NextAction(_("Review"), "#review-box")
    elif status in (S.HELD, S.SUMMARY_RETURNED) and can("activities.report_activity", activity):
        action = NextAction(_("Submit summary"), "#summary-box")
    elif status == S.SUMMARY_SUBMITTED and can("activities.review_activity", activity):
        action = NextAction(_("Review the summary"), "#summary-review-box")
    # The open tracked item with the nearest due date says by when.
    open_items = [t for t in tracked_items if tracked_due(t)[0] is not None]
    nearest = min(open_items, key=lambda t: t.due_at, default=None)
    due_at, paused = tracked_due(nearest)
    return build_stepper(
        path=path,
        status=status,
        status_label=activity.get_status_display(),
        at_stage={S.RETURNED: S.DRAFT, S.REJECTED: S.SUBMITTED, S.SUMMARY_RETURNED: S.HELD},
        notes={
            S.RETURNED: (S.RETURNED.label, "warn"),
            S.SUMMARY_RETURNED: (S.SUMMARY_RETURNED.label, "warn"),
            S.REJECTED: (S.REJECTED.label, "bad"),
        },
        next_actor=next_actor,
        due_at=due_at,
        paused=paused,
        action=action,
    )
