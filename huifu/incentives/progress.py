"""Progress of an incentive participation and of a project (issue #10, point 6): the stages of
``PARTICIPATION_TRANSITIONS`` / ``PROJECT_TRANSITIONS`` (docs/workflows.md), derived from the
tables themselves (``machine_path``), who acts next, by when, and the viewer's next action."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from huifu.core.progress import NextAction, Stepper, build_stepper, machine_path, stage_of, tracked_due

from .models import PARTICIPATION_TRANSITIONS, ProjectStatus
from .models import ParticipationStatus as S

# Where a participation is shown while in a state off the main path.
PARTICIPATION_OFF_PATH = {S.REJECTED: S.SUBMITTED, S.WITHDRAWN: S.SUBMITTED, S.FAILED: S.ACCEPTANCE_REVIEW}
PARTICIPATION_PATH = machine_path(PARTICIPATION_TRANSITIONS, start=S.SUBMITTED, off_path=PARTICIPATION_OFF_PATH)
CLOSING_STAGES = (S.CLOSING_REVIEW, S.CLOSED)


def participation_path(participation: Any) -> list[str]:
    """The stages of this participation: a project without a closing stage ends at acceptance."""
    if participation.project.requires_closing:
        return PARTICIPATION_PATH
    return machine_path(
        PARTICIPATION_TRANSITIONS, start=S.SUBMITTED, off_path=PARTICIPATION_OFF_PATH, omit=CLOSING_STAGES
    )


def participation_progress(participation: Any, *, flags: dict[str, Any], stages: Any = ()) -> Stepper:
    """``flags``: the detail page's can_* answers for the viewing user (one place decides)."""
    status = participation.status
    path = participation_path(participation)
    if status not in path and status not in PARTICIPATION_OFF_PATH:  # closing states of a project changed later
        path = PARTICIPATION_PATH
    stage_of(status, path=path, off_path=PARTICIPATION_OFF_PATH)
    member, exchange = _("the participant"), _("the exchange's department")
    next_actor = {
        S.SUBMITTED: exchange,
        S.TRACKING: member,
        S.ACCEPTANCE_REVIEW: exchange,
        S.ACCEPTED: member if participation.project.requires_closing else "",
        S.CLOSING_REVIEW: exchange,
    }.get(status, "")
    action = None
    if flags.get("can_review"):
        action = NextAction(_("Review"), "#review-box")
    elif flags.get("can_accept"):
        action = NextAction(_("Record the acceptance result"), "#acceptance-box")
    elif flags.get("can_close"):
        action = NextAction(_("Review the closing application"), "#closing-review-box")
    elif flags.get("can_submit_results"):
        action = NextAction(_("Submit results for acceptance"), "#results-box")
    elif flags.get("can_apply_closing"):
        action = NextAction(_("Apply for closing"), "#closing-box")
    open_stages = [t for t in stages if tracked_due(t)[0] is not None]
    due_at, paused = tracked_due(min(open_stages, key=lambda t: t.due_at, default=None))
    notes = {s: (S(s).label, "bad") for s in PARTICIPATION_OFF_PATH}
    return build_stepper(
        path=[(s, S(s).label) for s in path],
        status=status,
        status_label=participation.get_status_display(),
        at_stage=PARTICIPATION_OFF_PATH,
        notes=notes,
        next_actor=next_actor,
        due_at=due_at,
        paused=paused,
        action=action,
    )


def project_path() -> list[str]:
    from .services.projects import PROJECT_TRANSITIONS

    return machine_path(PROJECT_TRANSITIONS, start=ProjectStatus.DRAFT, off_path={})


def project_progress(project: Any) -> Stepper:
    """A project is drafted, opened for entries and closed (it may be reopened); the status
    buttons stay in the page's toolbar."""
    status = project.status
    return build_stepper(
        path=[(s, ProjectStatus(s).label) for s in project_path()],
        status=status,
        status_label=project.get_status_display(),
        next_actor=_("the exchange's department") if status == ProjectStatus.DRAFT else "",
    )
