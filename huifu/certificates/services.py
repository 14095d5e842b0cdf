"""Certificate operations: issue (one, or every eligible participant of a session), revoke,
re-issue after a name correction. Each runs in one transaction with one audit entry per
certificate it writes; the holder's notification is written in the same transaction.

Lock order: the year's ``CertificateCounter`` row first, then a certificate row. Every issue and
re-issue holds the counter row until it commits, so numbers are gapless, and the "already
issued?" check runs under that lock: two simultaneous requests for the same person and session
get the same certificate (a partial unique constraint holds it in the database too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.audit.services import audit_create, audit_update, snapshot
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.events.models import Series, Session
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify

from . import hours as credit_hours
from .codes import certificate_number, verification_code
from .eligibility import (
    Eligibility,
    registrations_with_attendance,
    required_sessions,
    series_eligibility,
    session_eligibility,
    session_entry,
)
from .models import KIND_ZH, Certificate, CertificateCounter, CertificateKind, CertificateState

CERTIFICATE_ISSUED = gettext_noop("Certificate issued: %(title)s (No. %(number)s)")


class CertificateError(ValidationError):
    """A refused certificate operation; ``code`` is the API envelope's code (also when the
    message names a field)."""

    def __init__(self, message: Any, code: str | None = None) -> None:
        if isinstance(message, dict):  # keep the code on each field's error (the API's envelope reads it)
            message = {field: ValidationError(text, code=code) for field, text in message.items()}
        super().__init__(message, code=code)
        self.code = code


@dataclass
class IssueResult:
    certificate: Certificate
    created: bool


@dataclass
class BulkResult:
    issued: list[Certificate] = field(default_factory=list)
    existing: list[Certificate] = field(default_factory=list)
    refused: list[tuple[Any, str]] = field(default_factory=list)  # (person, why)


def _next_serial(year: int) -> int:
    """The year's next number; the counter row stays locked until the caller's transaction ends."""
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _lock_year() -> int:
    """Lock this year's counter (taken first by every issue, see the module docstring)."""
    year = timezone.localdate().year
    CertificateCounter.objects.get_or_create(year=year)
    CertificateCounter.objects.select_for_update().get(year=year)
    return year


def _standing(*, person: Any, session: Session | None = None, series: Series | None = None) -> Certificate | None:
    qs = Certificate.objects.filter(holder=person, state__in=CertificateState.standing())
    if session is not None:
        return qs.filter(session=session).first()
    return qs.filter(series=series, kind=CertificateKind.COMPLETION).first()


def _refuse_revoked(existing: Certificate) -> None:
    raise CertificateError(
        _("Certificate %(number)s for this was revoked on %(date)s (%(reason)s); it is not issued again.")
        % {
            "number": existing.number,
            "date": f"{timezone.localtime(existing.revoked_at):%Y-%m-%d}",
            "reason": existing.revocation_reason,
        },
        code="revoked",
    )


def _create(*, actor: Any, year: int, replaces: Certificate | None = None, **fields: Any) -> Certificate:
    serial = _next_serial(year)
    number = certificate_number(year, serial)
    now = timezone.now()
    certificate = Certificate.objects.create(
        number=number,
        year=year,
        serial=serial,
        code=verification_code(number),
        issued_on=timezone.localdate(now),
        issued_at=now,
        issued_by=actor,
        replaces=replaces,
        **fields,
    )
    _notify(certificate)
    return certificate


def _notify(certificate: Certificate) -> None:
    holder = certificate.holder
    url = certificate.get_absolute_url()
    mail = None
    if holder.email:
        mail = {
            "to": holder.email,
            "subject": f"[会服·投资者教育] 证书已签发：{certificate.title}",
            "body_text": "\n".join(
                [
                    f"{certificate.holder_name}，您好：",
                    "",
                    f"您的{KIND_ZH[certificate.kind]}已签发，编号 {certificate.number}。",
                    f"请登录会服下载：{absolute_url(url)}",
                    f"核验地址：{certificate.verification_url}",
                ]
            ),
            "organisation": certificate.organisation,
            "topic": "events",
        }
    notify(
        recipient=holder,
        kind=notification_kinds.REGISTRATION,
        message=CERTIFICATE_ISSUED,
        params={"title": certificate.title, "number": certificate.number},
        url=url,
        organisation=certificate.organisation,
        mail=mail,
    )


def _holder_fields(person: Any) -> dict[str, Any]:
    return {
        "holder": person,
        "holder_name": person.full_name or person.email,
        "organisation_id": person.organisation_id,
    }


def _issue_attendance(*, actor: Any, year: int, session: Session, person: Any, eligibility: Eligibility) -> Certificate:
    certificate = _create(
        actor=actor,
        year=year,
        kind=CertificateKind.ATTENDANCE,
        session=session,
        series=session.series,
        title=session.title,
        session_date=session.date,
        eligibility=eligibility.snapshot,
        hours=credit_hours.session_hours(person, session),
        **_holder_fields(person),
    )
    audit_create(actor=actor, target=certificate, message=_("Attendance certificate issued."))
    return certificate


@transaction.atomic
def certificate_issue_attendance(*, actor: Any, session: Session, person: Any) -> IssueResult:
    """The person's attendance certificate for ``session``: the one already issued (``created``
    False) or a new one if the attendance record makes them eligible. Refuses someone who did
    not attend (``not_eligible``) and a certificate that was revoked (``revoked``)."""
    require(actor, "certificates.issue_certificate", session)
    year = _lock_year()
    existing = _standing(person=person, session=session)
    if existing is not None:
        if existing.is_revoked:
            _refuse_revoked(existing)
        return IssueResult(existing, created=False)
    eligibility = session_eligibility(person=person, session=session)
    if not eligibility.eligible:
        raise CertificateError(eligibility.reason, code="not_eligible")
    certificate = _issue_attendance(actor=actor, year=year, session=session, person=person, eligibility=eligibility)
    return IssueResult(certificate, created=True)


@transaction.atomic
def certificate_issue_session_bulk(*, actor: Any, session: Session) -> BulkResult:
    """Attendance certificates for every confirmed participant of ``session`` who attended;
    those already holding one keep it; the others are listed with the reason."""
    require(actor, "certificates.issue_certificate", session)
    year = _lock_year()
    result = BulkResult()
    standing = {
        c.holder_id: c for c in Certificate.objects.filter(session=session, state__in=CertificateState.standing())
    }
    for registration in registrations_with_attendance([session]):
        person = registration.person
        if person.pk in standing:
            result.existing.append(standing[person.pk])
            continue
        attended, reason, entry = session_entry(session, registration)
        if not attended:
            result.refused.append((person, reason))
            continue
        snapshot = {"rule": "attended_session", "sessions": [entry], "evaluated_at": timezone.now().isoformat()}
        result.issued.append(
            _issue_attendance(
                actor=actor, year=year, session=session, person=person, eligibility=Eligibility(True, snapshot=snapshot)
            )
        )
    return result


@transaction.atomic
def certificate_issue_completion(*, actor: Any, series: Series, person: Any) -> IssueResult:
    """The person's completion certificate for the training programme ``series`` (every required
    session attended); idempotent like ``certificate_issue_attendance``."""
    require(actor, "certificates.issue_certificate", None)
    year = _lock_year()
    existing = _standing(person=person, series=series)
    if existing is not None:
        if existing.is_revoked:
            _refuse_revoked(existing)
        return IssueResult(existing, created=False)
    sessions = required_sessions(series)
    eligibility = series_eligibility(person=person, series=series, sessions=sessions)
    if not eligibility.eligible:
        raise CertificateError(eligibility.reason, code="not_eligible")
    certificate = _create(
        actor=actor,
        year=year,
        kind=CertificateKind.COMPLETION,
        series=series,
        title=series.title_zh,
        completion_date=eligibility.completion_date,
        eligibility=eligibility.snapshot,
        hours=credit_hours.total_hours(person, sessions),
        **_holder_fields(person),
    )
    audit_create(actor=actor, target=certificate, message=_("Completion certificate issued."))
    return IssueResult(certificate, created=True)


@transaction.atomic
def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a valid certificate; its number stays taken and the public page says "revoked"."""
    require(actor, "certificates.revoke_certificate", certificate)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise CertificateError({"reason": _("Give the reason for the revocation.")}, code="reason_required")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_valid:
        raise CertificateError(
            _("Certificate %(number)s is %(state)s; only a valid certificate can be revoked.")
            % {"number": certificate.number, "state": certificate.get_state_display()},
            code="illegal_transition",
        )
    before = snapshot(certificate, ["state", "revoked_at", "revocation_reason"])
    certificate.state = CertificateState.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason[:2000]
    certificate.save(update_fields=["state", "revoked_at", "revoked_by", "revocation_reason"])
    audit_update(actor=actor, target=certificate, before=before, message=reason)
    return certificate


@transaction.atomic
def certificate_reissue(*, actor: Any, certificate: Certificate, holder_name: str) -> Certificate:
    """A new certificate with the corrected name, linked to the old one (``replaces``); the old
    one becomes ``replaced`` and its public page names the new number. Same eligibility, hours
    and dates; a new number, code and issue date."""
    require(actor, "certificates.revoke_certificate", certificate)
    holder_name = " ".join(str(holder_name or "").split())
    if not holder_name:
        raise CertificateError({"holder_name": _("Enter the corrected name.")}, code="name_required")
    if len(holder_name) > 80:
        raise CertificateError({"holder_name": _("The name is too long (at most 80 characters).")}, code="invalid")
    year = _lock_year()
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not old.is_valid:
        raise CertificateError(
            _("Certificate %(number)s is %(state)s; only a valid certificate can be re-issued.")
            % {"number": old.number, "state": old.get_state_display()},
            code="illegal_transition",
        )
    if holder_name == old.holder_name:
        raise CertificateError(
            {"holder_name": _("The name is the same as on the certificate; nothing to correct.")}, code="unchanged"
        )
    before = snapshot(old, ["state"])
    old.state = CertificateState.REPLACED
    old.save(update_fields=["state"])
    audit_update(actor=actor, target=old, before=before, message=holder_name)
    new = _create(
        actor=actor,
        year=year,
        replaces=old,
        kind=old.kind,
        session=old.session,
        series=old.series,
        title=old.title,
        session_date=old.session_date,
        completion_date=old.completion_date,
        eligibility=old.eligibility,
        hours=old.hours,
        holder=old.holder,
        holder_name=holder_name,
        organisation_id=old.organisation_id,
    )
    audit_create(actor=actor, target=new, message=_("Re-issued after a name correction."))
    return new
