"""Progress of a fee-reduction settlement run (issue #10, point 6): the stages of
``SETTLEMENT_TRANSITIONS`` (docs/workflows.md) derived from the table itself — draft → computed →
reviewed → approved, four eyes — who acts next, and the viewer's next action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from huifu.core.progress import NextAction, Stepper, build_stepper, machine_path, stage_of

from .models import SETTLEMENT_TRANSITIONS
from .models import SettlementStatus as S

SETTLEMENT_OFF_PATH = {S.CANCELLED: S.DRAFT}
SETTLEMENT_PATH = machine_path(SETTLEMENT_TRANSITIONS, start=S.DRAFT, off_path=SETTLEMENT_OFF_PATH)


def run_progress(run: Any, *, flags: dict[str, Any]) -> Stepper:
    """``flags``: the detail page's can_* answers for the viewing user (one place decides)."""
    status = run.status
    stage_of(status, path=SETTLEMENT_PATH, off_path=SETTLEMENT_OFF_PATH)
    next_actor = {
        S.DRAFT: _("the department running the settlement"),
        S.COMPUTED: _("a reviewer (not the person who ran it)"),
        S.REVIEWED: _("an approver"),
    }.get(status, "")
    action = None
    if status == S.DRAFT and flags.get("can_compute"):
        action = NextAction(_("Compute"), reverse("settlements:run_compute", args=[run.pk]), post=True)
    elif flags.get("can_review"):
        action = NextAction(_("Mark reviewed"), reverse("settlements:run_review", args=[run.pk]), post=True)
    elif flags.get("can_approve"):
        action = NextAction(_("Approve"), reverse("settlements:run_approve", args=[run.pk]), post=True)
    return build_stepper(
        path=[(s, S(s).label) for s in SETTLEMENT_PATH],
        status=status,
        status_label=run.get_status_display(),
        at_stage=SETTLEMENT_OFF_PATH,
        notes={S.CANCELLED: (S.CANCELLED.label, "bad")},
        next_actor=next_actor,
        action=action,
    )
