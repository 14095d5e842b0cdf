"""Scans sent by the desk page, online or late from its offline queue.

Each scan carries an id the desk made (a UUID), the time it was scanned and the time it was sent,
both by the desk's clock. The server corrects the desk's clock by the difference between "sent"
and its own "now", so a desk whose clock is off still stamps the right time.

Idempotency: an accepted scan is stored as a ``DeskScan`` (one per session and scan id, a unique
constraint); sending the same id again answers with the stored result and records nothing. Two
desks that scanned the same ticket offline end with one ``CheckIn`` whose time is the earliest
scan (see ``checkin_record``). A scan dated in the future (beyond a small clock tolerance) or
before the session's day is refused, as is an id already used for another ticket.

Refused scans (forged ticket, other session, not confirmed, bad time) are not stored: sending one
again is judged again and, for the same input, refused again with the same code."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.core.permissions import require

from ..models import SHANGHAI, DeskScan, ScanOutcome, Session
from ..tickets import TicketInvalid, ticket_registration_id
from .checkins import CheckInError, checkin_record

# How far ahead of the server's clock a (corrected) scan time may be: network delay and rounding.
FUTURE_TOLERANCE = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class DeskScanResult:
    scan: DeskScan
    replayed: bool  # True: this scan id had been received before; its first answer is repeated


def _scan_time(scanned_at: datetime.datetime, sent_at: datetime.datetime | None, now: datetime.datetime) -> Any:
    for value in (scanned_at, sent_at):
        if value is not None and timezone.is_naive(value):
            raise CheckInError(_("The scan time has no time zone."), code="invalid_time")
    if sent_at is not None:
        if scanned_at > sent_at + FUTURE_TOLERANCE:
            raise CheckInError(_("The scan is dated after it was sent."), code="scan_in_future")
        scanned_at = scanned_at + (now - sent_at)  # the desk's clock error, measured now
    return scanned_at


@transaction.atomic
def desk_scan_record(
    *,
    actor: Any,
    session: Session,
    client_scan_id: str,
    desk: str,
    scanned_at: datetime.datetime,
    sent_at: datetime.datetime | None = None,
    token: str = "",
    registration_id: int | None = None,
) -> DeskScanResult:
    """Record one desk scan (ticket ``token`` or looked-up ``registration_id``) made at
    ``scanned_at``; idempotent per ``client_scan_id``. Error codes: those of ``checkin_record``,
    ``invalid_scan_id``, ``scan_id_reused``, ``invalid_time``, ``scan_in_future``,
    ``scan_before_session_day``."""
    require(actor, "events.check_in", session)
    try:
        scan_id = uuid.UUID(str(client_scan_id))
    except ValueError:
        raise CheckInError(_("The scan id is not valid."), code="invalid_scan_id") from None
    desk = " ".join(str(desk or "").split())[:40] or _("desk")
    if token:
        try:
            registration_id = ticket_registration_id(token)
        except TicketInvalid:
            raise CheckInError(_("This ticket is not valid."), code="invalid_ticket") from None
    if registration_id is None:
        raise CheckInError(_("Scan a ticket or choose a participant."), code="required")

    previous = DeskScan.objects.filter(session=session, client_scan_id=scan_id).first()
    if previous is not None:
        return _replay(previous, registration_id)

    now = timezone.now()
    at = _scan_time(scanned_at, sent_at, now)
    if at > now + FUTURE_TOLERANCE:
        raise CheckInError(_("The scan is dated in the future; check the desk's clock."), code="scan_in_future")
    day_start = datetime.datetime.combine(session.date, datetime.time.min, tzinfo=SHANGHAI)
    if at < day_start:
        raise CheckInError(
            _("The scan is dated before the session's day (%(date)s).") % {"date": f"{session.date:%Y-%m-%d}"},
            code="scan_before_session_day",
        )
    at = min(at, now)  # within the tolerance: never a check-in time after the server's now
    try:
        with transaction.atomic():
            result = checkin_record(actor=actor, session=session, desk=desk, registration_id=registration_id, at=at)
            scan = DeskScan.objects.create(
                session=session,
                client_scan_id=scan_id,
                desk=desk,
                scanned_at=at,
                received_at=now,
                registration=result.check_in.registration,
                outcome=ScanOutcome.ALREADY if result.already else ScanOutcome.CHECKED_IN,
                answer_checked_in_at=result.check_in.checked_in_at,
                answer_desk=result.check_in.desk,
                scanned_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # the same scan id arrived twice at once; the other request stored it
        return _replay(DeskScan.objects.get(session=session, client_scan_id=scan_id), registration_id)
    return DeskScanResult(scan=scan, replayed=False)


def _replay(previous: DeskScan, registration_id: int) -> DeskScanResult:
    if previous.registration_id != registration_id:
        raise CheckInError(_("This scan id was already used for another ticket."), code="scan_id_reused")
    return DeskScanResult(scan=previous, replayed=True)
