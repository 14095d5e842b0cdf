"""Progress of a deep-cultivation plan (issue #10, point 6): the stages of ``PLAN_TRANSITIONS``
(docs/workflows.md), who acts next, by when (the nearest open stage), and the viewer's next
action, drawn by ``core/_stepper.html``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from huifu.core.progress import NextAction, Stepper, build_stepper, tracked_due

from .models import PlanStatus as S


def plan_progress(plan: Any, *, stages: Any = (), flags: dict[str, Any] | None = None) -> Stepper:
    """``flags``: the detail page's can_* answers for the viewing user (one place decides)."""
    flags = flags or {}
    status = plan.status
    path = [(s, s.label) for s in (S.DRAFT, S.SUBMITTED, S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.CLOSED)]
    company, coordinator = _("the futures company"), _("Member Management")
    next_actor = {
        S.DRAFT: company,
        S.RETURNED: company,
        S.SUBMITTED: coordinator,
        S.APPROVED: company,
        S.IN_PROGRESS: company,
        S.COMPLETED: coordinator,
    }.get(status, "")
    action = None
    if flags.get("can_submit"):
        action = NextAction(_("Submit to the exchange"), "#submit-box")
    elif flags.get("can_review"):
        action = NextAction(_("Review"), "#review-box")
    elif flags.get("can_complete") and status == S.IN_PROGRESS:
        action = NextAction(_("Complete the plan"), "#complete-box")
    elif flags.get("can_report") and status in (S.APPROVED, S.IN_PROGRESS):
        action = NextAction(_("Report progress"), "#activities-box")
    elif flags.get("can_close"):
        action = NextAction(_("Close the plan"), "#close-box")
    open_stages = [t for t in stages if tracked_due(t)[0] is not None]
    due_at, paused = tracked_due(min(open_stages, key=lambda t: t.due_at, default=None))
    return build_stepper(
        path=path,
        status=status,
        status_label=plan.get_status_display(),
        at_stage={S.RETURNED: S.DRAFT, S.REJECTED: S.SUBMITTED},
        notes={S.RETURNED: (S.RETURNED.label, "warn"), S.REJECTED: (S.REJECTED.label, "bad")},
        next_actor=next_actor,
        due_at=due_at,
        paused=paused,
        action=action,
    )
