"""Check-in at the desk: idempotent. The registration row is locked and the one ``CheckIn`` per
registration is a database constraint, so two desks scanning the same ticket at once record it
once; the second answers with the first check-in (when, which desk)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_update, snapshot
from huifu.core.permissions import require

from ..models import CheckIn, Registration, RegistrationState, Session
from ..tickets import TicketInvalid, ticket_registration_id


class CheckInError(ValidationError):
    """The ticket cannot be checked in (see the code)."""


@dataclass(frozen=True)
class CheckInResult:
    check_in: CheckIn
    already: bool  # True: this registration had been checked in before (nothing new recorded)
    moved_earlier: bool = False  # True: a scan made earlier (sent late by a desk offline) took over


@transaction.atomic
def checkin_record(
    *,
    actor: Any,
    session: Session,
    desk: str,
    token: str = "",
    registration_id: int | None = None,
    at: datetime.datetime | None = None,
) -> CheckInResult:
    """Check in the registration named by a ticket ``token`` (scanned) or by ``registration_id``
    (looked up at the desk). Refuses a forged token (``invalid_ticket``), a ticket of another
    session (``wrong_session``) and a registration that is not confirmed (``not_confirmed``).

    ``at`` is when the ticket was scanned (default: now); a desk that was offline sends it later.
    The check-in keeps the earliest scan: a scan made before the recorded one takes its time,
    desk and clerk over (``moved_earlier``); a later one answers ``already``."""
    require(actor, "events.check_in", session)
    desk = " ".join(str(desk or "").split())[:40] or _("desk")
    if token:
        try:
            registration_id = ticket_registration_id(token)
        except TicketInvalid:
            raise CheckInError(_("This ticket is not valid."), code="invalid_ticket") from None
    if registration_id is None:
        raise CheckInError(_("Scan a ticket or choose a participant."), code="required")
    registration = Registration.objects.select_for_update().select_related("person").filter(pk=registration_id).first()
    if registration is None or registration.session_id != session.pk:
        raise CheckInError(_("This ticket is for another session."), code="wrong_session")
    at = at or timezone.now()
    existing = CheckIn.objects.filter(registration=registration).first()
    if existing is not None:
        if at >= existing.checked_in_at:
            return CheckInResult(check_in=existing, already=True)
        before = snapshot(existing, ["checked_in_at", "desk", "checked_in_by_id"])
        existing.checked_in_at, existing.desk = at, desk
        existing.checked_in_by = actor if getattr(actor, "is_authenticated", False) else None
        existing.save(update_fields=["checked_in_at", "desk", "checked_in_by"])
        audit_update(actor=actor, target=existing, before=before, message=_("An earlier scan arrived late."))
        return CheckInResult(check_in=existing, already=False, moved_earlier=True)
    if registration.state != RegistrationState.CONFIRMED:
        raise CheckInError(
            _("%(name)s is not confirmed (%(state)s).")
            % {"name": registration.person, "state": registration.get_state_display()},
            code="not_confirmed",
        )
    try:
        with transaction.atomic():
            check_in = CheckIn.objects.create(
                registration=registration,
                checked_in_at=at,
                desk=desk,
                checked_in_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # another desk won the race on a database without row locks
        return CheckInResult(check_in=CheckIn.objects.get(registration=registration), already=True)
    audit_create(actor=actor, target=check_in)
    return CheckInResult(check_in=check_in, already=False)
