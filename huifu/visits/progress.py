"""Progress of a visit (issue #10, point 6): the stages of ``VISIT_TRANSITIONS``
(docs/workflows.md) derived from the table itself, who acts next, by when (the arrangement is
due within 2 working days of the latest round), and the viewer's next action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from huifu.core.progress import NextAction, Stepper, build_stepper, machine_path, stage_of, tracked_due

from .models import VISIT_TRANSITIONS
from .models import VisitStatus as S

# Where a visit is shown while off the main path; a cancelled visit is shown where it stopped.
VISIT_OFF_PATH = {S.CHANGE_REQUESTED: S.ARRANGED, S.CANCELLED: S.REQUESTED}
VISIT_PATH = machine_path(VISIT_TRANSITIONS, start=S.REQUESTED, off_path=VISIT_OFF_PATH)


def visit_progress(visit: Any, *, flags: dict[str, Any], deadline: Any = None) -> Stepper:
    """``flags``: the detail page's can_* answers for the viewing user (one place decides)."""
    status = visit.status
    off_path = dict(VISIT_OFF_PATH)
    if status == S.CANCELLED:
        off_path[S.CANCELLED] = (
            S.CONFIRMED if visit.confirmed_at else S.ARRANGED if visit.has_arrangement else S.REQUESTED
        )
    stage_of(status, path=VISIT_PATH, off_path=off_path)
    coordinator, visitor = _("Member Management"), _("the visiting organisation")
    next_actor = {
        S.REQUESTED: coordinator,
        S.CHANGE_REQUESTED: coordinator,
        S.ARRANGED: visitor,
        S.CONFIRMED: coordinator,
    }.get(status, "")
    action = None
    if flags.get("can_arrange") and status in (S.REQUESTED, S.CHANGE_REQUESTED):
        label = _("Re-arrange") if visit.has_arrangement else _("Arrange the reception")
        action = NextAction(label, reverse("visits:arrange", args=[visit.pk]))
    elif flags.get("can_confirm"):
        action = NextAction(_("Confirm the arrangement"), reverse("visits:confirm", args=[visit.pk]), post=True)
    elif flags.get("can_hold"):
        action = NextAction(_("Record the visit as held"), "#hold-box")
    due_at, paused = tracked_due(deadline) if status in (S.REQUESTED, S.CHANGE_REQUESTED) else (None, False)
    return build_stepper(
        path=[(s, S(s).label) for s in VISIT_PATH],
        status=status,
        status_label=visit.get_status_display(),
        at_stage=off_path,
        notes={S.CHANGE_REQUESTED: (S.CHANGE_REQUESTED.label, "warn"), S.CANCELLED: (S.CANCELLED.label, "bad")},
        next_actor=next_actor,
        due_at=due_at,
        paused=paused,
        action=action,
    )
