"""Check-in at the desk: idempotent. The registration row is locked and the one ``CheckIn`` per
registration is a database constraint, so two desks scanning the same ticket at once record it
once; the second answers with the first check-in (when, which desk)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create
from huifu.core.permissions import require

from ..models import CheckIn, Registration, RegistrationState, Session
from ..tickets import TicketInvalid, ticket_registration_id


class CheckInError(ValidationError):
    """The ticket cannot be checked in (see the code)."""


@dataclass(frozen=True)
class CheckInResult:
    check_in: CheckIn
    already: bool  # True: this registration had been checked in before (nothing new recorded)


@transaction.atomic
def checkin_record(
    *, actor: Any, session: Session, desk: str, token: str = "", registration_id: int | None = None
) -> CheckInResult:
    """Check in the registration named by a ticket ``token`` (scanned) or by ``registration_id``
    (looked up at the desk). Refuses a forged token (``invalid_ticket``), a ticket of another
    session (``wrong_session``) and a registration that is not confirmed (``not_confirmed``)."""
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
    existing = CheckIn.objects.filter(registration=registration).first()
    if existing is not None:
        return CheckInResult(check_in=existing, already=True)
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
                checked_in_at=timezone.now(),
                desk=desk,
                checked_in_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # another desk won the race on a database without row locks
        return CheckInResult(check_in=CheckIn.objects.get(registration=registration), already=True)
    audit_create(actor=actor, target=check_in)
    return CheckInResult(check_in=check_in, already=False)
