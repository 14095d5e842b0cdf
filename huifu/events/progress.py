"""Progress of an event registration (issue #10, point 6): the stages of
``REGISTRATION_TRANSITIONS`` (docs/workflows.md) derived from the table itself — awaiting
approval → on the waiting list → seat offered → confirmed — with the stages this registration
skips left out (no approval step without moderation, no waiting list for a direct seat), who acts
next, the offer's confirmation deadline, and the viewer's next action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.core.progress import NextAction, Stepper, build_stepper, machine_path, stage_of

from .models import REGISTRATION_TRANSITIONS
from .models import RegistrationState as R

REGISTRATION_OFF_PATH = {R.REFUSED: R.PENDING, R.EXPIRED: R.OFFERED, R.CANCELLED: R.PENDING}
REGISTRATION_PATH = machine_path(REGISTRATION_TRANSITIONS, start=R.PENDING, off_path=REGISTRATION_OFF_PATH)
WAITING_STAGES = (R.WAITLISTED, R.OFFERED)


def _waited(registration: Any) -> bool:
    """Whether this registration went (or goes) through the waiting list."""
    return registration.state in (R.WAITLISTED, R.OFFERED, R.EXPIRED) or registration.offer_expires_at is not None


def registration_path(registration: Any) -> list[str]:
    omit: list[str] = []
    if not registration.session.requires_approval and registration.state not in (R.PENDING, R.REFUSED):
        omit.append(R.PENDING)
    if not _waited(registration):
        omit.extend(WAITING_STAGES)
    return machine_path(REGISTRATION_TRANSITIONS, start=R.PENDING, off_path=REGISTRATION_OFF_PATH, omit=omit)


def registration_progress(registration: Any, *, user: Any) -> Stepper:
    state = registration.state
    path = registration_path(registration)
    off_path = dict(REGISTRATION_OFF_PATH)
    off_path[R.CANCELLED] = R.OFFERED if registration.offer_expires_at else path[0]
    if off_path.get(R.REFUSED) not in path:
        off_path[R.REFUSED] = path[0]
    stage_of(state, path=path, off_path=off_path)
    mine = user.pk in (registration.person_id, registration.registered_by_id)
    next_actor = {
        R.PENDING: _("the organisers"),
        R.WAITLISTED: _("nobody yet: a seat must free up"),
        R.OFFERED: pgettext("stepper", "you") if mine else _("the registered person"),
    }.get(state, "")
    action = None
    if state == R.OFFERED and user.has_perm("events.cancel_registration", registration):
        action = NextAction(
            _("Confirm the seat"), reverse("events:registration_accept", args=[registration.pk]), post=True
        )
    elif state == R.PENDING and user.has_perm("events.moderate_registration", registration.session):
        action = NextAction(
            _("Approve the registration"), reverse("events:registration_approve", args=[registration.pk]), post=True
        )
    return build_stepper(
        path=[(s, R(s).label) for s in path],
        status=state,
        status_label=registration.get_state_display(),
        at_stage=off_path,
        notes={s: (R(s).label, "bad") for s in REGISTRATION_OFF_PATH},
        next_actor=next_actor,
        due_at=registration.offer_expires_at if state == R.OFFERED else None,
        action=action,
    )
