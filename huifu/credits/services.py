"""Credit hours: what other apps may call, and the writes.

Reads (see ``hours.py``): ``hours_for(person, window)`` → ``Standing`` (``by_category``,
``total``, ``lines``, ``short``, ``met``); ``windows_for(person)``, ``current_window(person)``,
``window_at(person, start)``; ``session_grant(session)`` (the full hours a session grants per
category) and ``session_hours_for(person, session)`` (what that person earned there after the
partial-attendance rule); ``standings_for(people)`` for lists.

Writes: one function per change, keyword-only, ``actor`` first, one transaction, one audit
entry, notifications on commit through ``notify``.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.core.permissions import require
from huifu.events.models import Registration, RegistrationState, Session
from huifu.files import kinds
from huifu.files.services import file_store
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify

from .hours import (  # noqa: F401  (the public reading API of this app)
    HourLine,
    Standing,
    Window,
    current_window,
    hour_lines,
    hours_for,
    session_grant,
    session_hours_for,
    standings_for,
    window_at,
    windows_for,
)
from .models import (
    HOURS,
    CategoryMinimum,
    ClaimState,
    CreditRule,
    Deferral,
    DeferralState,
    ExternalClaim,
    HourCategory,
    OnlineMode,
    SessionCredit,
    SessionHours,
)
from .selectors import EVIDENCE_PURPOSE

MAX_HOURS = Decimal("99.9")
EVIDENCE_KINDS = (kinds.PDF, kinds.JPEG, kinds.PNG, kinds.DOCX, kinds.OFD)


class CreditError(ValidationError):
    """A refused change with a stable ``code`` for the API envelope."""


def clean_hours(value: Any, *, field: str = "hours", allow_zero: bool = False) -> Decimal:
    """A number of hours with at most one decimal, 0.1 … 99.9 (or 0 when allowed)."""
    try:
        hours = Decimal(str(value).strip().replace("，", "."))
    except (InvalidOperation, ValueError, TypeError):
        raise CreditError({field: _("Enter a number of hours, e.g. 1.5.")}, code="invalid_hours") from None
    if not hours.is_finite() or hours != hours.quantize(Decimal("0.1")):
        raise CreditError({field: _("Hours have at most one decimal, e.g. 1.5.")}, code="invalid_hours")
    if hours < 0 or (hours == 0 and not allow_zero) or hours > MAX_HOURS:
        raise CreditError({field: _("Hours must be between 0.1 and 99.9.")}, code="invalid_hours")
    return hours


# --- staff: categories, rules, session grants --------------------------------------------------------


def category_save(
    *,
    actor: Any,
    category: HourCategory | None = None,
    code: str,
    name_zh: str,
    name_en: str = "",
    sort_order: int = 100,
    is_active: bool = True,
) -> HourCategory:
    require(actor, "credits.manage_rules")
    code = (code or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9_-]{1,30}", code):
        raise CreditError({"code": _("Use 1–30 lower-case letters, digits, - or _.")}, code="invalid")
    if not (name_zh or "").strip():
        raise CreditError({"name_zh": _("Enter the Chinese name.")}, code="invalid")
    with transaction.atomic():
        if HourCategory.objects.filter(code=code).exclude(pk=getattr(category, "pk", None)).exists():
            raise CreditError({"code": _("Another category already has this code.")}, code="duplicate")
        before = snapshot(category) if category else None
        category = category or HourCategory()
        category.code, category.name_zh, category.name_en = code, name_zh.strip(), (name_en or "").strip()
        category.sort_order, category.is_active = sort_order, is_active
        category.save()
        if before is None:
            audit_create(actor=actor, target=category)
        else:
            audit_update(actor=actor, target=category, before=before)
    return category


def rule_save(
    *,
    actor: Any,
    rule: CreditRule | None = None,
    year: int,
    title: str,
    min_hours: Any,
    window_years: int,
    deferral_years: int,
    minimums: dict[int, Any],
    source: str = "",
    note: str = "",
    seed_unchecked: bool = False,
) -> CreditRule:
    """Create or change the rule that applies from ``year``; ``minimums`` {category id: hours}
    (0 or blank: no minimum for that category). The category minimums may not exceed the total."""
    require(actor, "credits.manage_rules")
    errors: dict[str, str] = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if not 1 <= int(window_years or 0) <= 5:
        errors["window_years"] = _("A window lasts 1 to 5 years.")
    if not 0 <= int(deferral_years or 0) <= 3:
        errors["deferral_years"] = _("A deferral lasts 0 to 3 years.")
    if not (title or "").strip():
        errors["title"] = _("Name the rule.")
    if errors:
        raise CreditError(errors, code="invalid")
    total = clean_hours(min_hours, field="min_hours")
    cleaned = {}
    for category_id, value in minimums.items():
        if value in (None, ""):
            continue
        hours = clean_hours(value, field="minimums", allow_zero=True)
        if hours:
            cleaned[int(category_id)] = hours
    if sum(cleaned.values(), Decimal(0)) > total:
        raise CreditError(
            {"minimums": _("The category minimums add up to more than the minimum per window.")}, code="invalid"
        )
    with transaction.atomic():
        if CreditRule.objects.filter(year=year).exclude(pk=getattr(rule, "pk", None)).exists():
            raise CreditError({"year": _("A rule already applies from %(year)s.") % {"year": year}}, code="duplicate")
        before = snapshot(rule) if rule else None
        rule = rule or CreditRule()
        rule.year, rule.title, rule.min_hours = year, title.strip(), total
        rule.window_years, rule.deferral_years = int(window_years), int(deferral_years)
        rule.source, rule.note, rule.seed_unchecked = (source or "").strip(), (note or "").strip(), seed_unchecked
        rule.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        rule.save()
        known = set(HourCategory.objects.filter(pk__in=cleaned).values_list("pk", flat=True))
        if known != set(cleaned):
            raise CreditError({"minimums": _("Unknown hour category.")}, code="invalid")
        old = {m.category_id: str(m.min_hours) for m in rule.minimums.all()}
        rule.minimums.exclude(category_id__in=cleaned).delete()
        for category_id, hours in cleaned.items():
            CategoryMinimum.objects.update_or_create(rule=rule, category_id=category_id, defaults={"min_hours": hours})
        changes = {"minimums": [old, {k: str(v) for k, v in cleaned.items()}]} if old != cleaned else {}
        if before is None:
            audit_create(actor=actor, target=rule)
        else:
            after = snapshot(rule, before.keys())
            changes.update({k: [before[k], after[k]] for k in before if before[k] != after[k] and k != "updated_at"})
            if changes:
                audit_record(actor=actor, action="update", target=rule, changes=changes)
    return rule


def session_hours_set(*, actor: Any, session: Session, hours: dict[int, Any], online_mode: str) -> SessionCredit | None:
    """Set the hours ``session`` grants per category ({category id: hours}; blank or 0 removes
    the category). No hours at all removes the grant. Replaces what was there, in one go."""
    require(actor, "credits.grant_session_hours", session)
    if online_mode not in OnlineMode.values:
        raise CreditError({"online_mode": _("Choose how online attendance counts.")}, code="invalid")
    cleaned: dict[int, Decimal] = {}
    for category_id, value in hours.items():
        if value in (None, ""):
            continue
        value = clean_hours(value, field=f"hours_{category_id}", allow_zero=True)
        if value:
            cleaned[int(category_id)] = value
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        known = set(HourCategory.objects.filter(pk__in=cleaned, is_active=True).values_list("pk", flat=True))
        if known != set(cleaned):
            raise CreditError({"__all__": _("Unknown or inactive hour category.")}, code="invalid")
        credit = SessionCredit.objects.filter(session=session).first()
        old = {row.category_id: str(row.hours) for row in credit.hours.all()} if credit else {}
        old_mode = credit.online_mode if credit else ""
        if not cleaned:
            if credit:
                credit.delete()
                audit_record(
                    actor=actor,
                    action="update",
                    target=session,
                    changes={"credit_hours": [old, {}]},
                    message="credit hours removed",
                )
            return None
        if credit is None:
            credit = SessionCredit.objects.create(session=session, online_mode=online_mode, updated_by=actor)
        else:
            credit.online_mode, credit.updated_by = online_mode, actor
            credit.save()
        credit.hours.exclude(category_id__in=cleaned).delete()
        for category_id, value in cleaned.items():
            SessionHours.objects.update_or_create(credit=credit, category_id=category_id, defaults={"hours": value})
        audit_record(
            actor=actor,
            action="update",
            target=session,
            changes={
                "credit_hours": [old, {k: str(v) for k, v in cleaned.items()}],
                "online_mode": [old_mode, online_mode],
            },
            message="credit hours",
        )
    return credit


# --- practitioners: hours from other providers -----------------------------------------------------


def _course_key(provider: str, title: str, day: datetime.date) -> str:
    def norm(text: str) -> str:
        return re.sub(r"[\s\u3000·．.,，。:：\-—_（）()]+", "", text or "").lower()

    return f"{norm(provider)[:200]}|{norm(title)[:200]}|{day.isoformat()}"


def _claim_duplicate(person: Any, *, certificate_no: str, course_key: str, session_id: int | None) -> str | None:
    live = ExternalClaim.objects.filter(person=person, state__in=ClaimState.live())
    if certificate_no:
        found = live.filter(certificate_no=certificate_no).first()
        if found:
            return _("Certificate %(number)s has already been claimed (entered %(day)s).") % {
                "number": certificate_no,
                "day": timezone.localtime(found.created_at).date().isoformat(),
            }
    found = live.filter(course_key=course_key).first()
    if found:
        return _("This course of this provider on this day has already been claimed (entered %(day)s).") % {
            "day": timezone.localtime(found.created_at).date().isoformat()
        }
    return None


def claim_submit(
    *,
    actor: Any,
    provider: str,
    course_title: str,
    completed_on: datetime.date,
    category: HourCategory,
    hours: Any,
    evidence: Any,
    certificate_no: str = "",
    session: Session | None = None,
) -> ExternalClaim:
    """A practitioner enters hours from another provider with evidence; their company's admin
    decides. Refused (``duplicate``): the same certificate number or the same provider, course
    and day already claimed and not refused, or an exchange session the person already earns
    hours for through attendance."""
    require(actor, "credits.claim_hours")
    errors = {}
    if not (provider or "").strip():
        errors["provider"] = _("Name the training provider.")
    if not (course_title or "").strip():
        errors["course_title"] = _("Name the course.")
    today = timezone.localdate()
    if not isinstance(completed_on, datetime.date) or completed_on > today:
        errors["completed_on"] = _("The completion date cannot be in the future.")
    if category is None or not category.is_active:
        errors["category"] = _("Choose an hour category.")
    if evidence is None:
        errors["evidence"] = _("Attach the certificate or another proof of attendance.")
    if errors:
        raise CreditError(errors, code="invalid")
    value = clean_hours(hours)
    certificate_no = re.sub(r"\s+", "", certificate_no or "")[:60]
    key = _course_key(provider, course_title, completed_on)
    counted = _("Your hours for this session are already counted from your attendance.")
    if session is not None and session_hours_for(actor, session):
        raise CreditError(counted, code="duplicate")
    # The same training entered by hand: an exchange session of that day with that title,
    # already counted from the person's attendance.
    title_key = _course_key("", course_title, completed_on)
    lines = hour_lines([actor.pk], completed_on, completed_on)
    if any(_course_key("", ln.title, ln.day) == title_key for ln in lines if ln.source == "session"):
        raise CreditError(counted, code="duplicate")
    message = _claim_duplicate(actor, certificate_no=certificate_no, course_key=key, session_id=None)
    if message:
        raise CreditError(message, code="duplicate")
    with transaction.atomic():
        stored = file_store(
            upload=evidence,
            actor=actor,
            organisation=actor.organisation,
            purpose=EVIDENCE_PURPOSE,
            allowed_kinds=EVIDENCE_KINDS,
        )
        claim = ExternalClaim(
            person=actor,
            organisation=actor.organisation,
            provider=provider.strip()[:200],
            course_title=course_title.strip()[:200],
            completed_on=completed_on,
            certificate_no=certificate_no,
            course_key=key,
            category=category,
            hours=value,
            evidence=stored,
        )
        try:
            with transaction.atomic():
                claim.save()
        except IntegrityError:  # a second request raced the check above
            raise CreditError(_("These hours have already been claimed."), code="duplicate") from None
        audit_create(actor=actor, target=claim)
    return claim


def _lock_claim(claim: ExternalClaim) -> ExternalClaim:
    return ExternalClaim.objects.select_for_update().select_related("person", "category").get(pk=claim.pk)


def claim_decide(*, actor: Any, claim: ExternalClaim, approve: bool, reason: str = "") -> ExternalClaim:
    """The member admin (or exchange staff) approves or refuses a submitted claim; a refusal
    needs a reason. The practitioner is told either way."""
    reason = (reason or "").strip()
    with transaction.atomic():
        claim = _lock_claim(claim)
        if claim.state != ClaimState.SUBMITTED:
            raise CreditError(_("This claim has already been decided."), code="illegal_transition")
        require(actor, "credits.decide_claim", claim)
        if not approve and not reason:
            raise CreditError({"reason": _("Give the reason for the refusal.")}, code="reason_required")
        source = claim.state
        claim.state = ClaimState.APPROVED if approve else ClaimState.REFUSED
        claim.decided_by, claim.decided_at, claim.decision_reason = actor, timezone.now(), reason
        claim.save()
        audit_transition(actor=actor, target=claim, source=source, target_state=claim.state, message=reason)
        _tell(
            claim.person,
            gettext_noop("Hours approved: %(title)s (%(hours)s h)")
            if approve
            else gettext_noop("Hours refused: %(title)s — %(reason)s"),
            {"title": claim.course_title, "hours": str(claim.hours), "reason": reason},
            claim.get_absolute_url(),
            claim.organisation,
        )
    return claim


def _tell(person: Any, message: str, params: dict[str, Any], url: str, organisation: Any) -> None:
    from django.utils.translation import override

    with override("zh-hans"):
        subject = _(message) % params
    notify(
        recipient=person,
        kind=notification_kinds.DECISION,
        message=message,
        params=params,
        url=url,
        organisation=organisation,
        mail={
            "to": person.email,
            "subject": f"[会服·学时] {subject}",
            "body_text": subject,
            "organisation": organisation,
            "topic": "credits",
        }
        if person.email
        else None,
    )


# --- deferrals -------------------------------------------------------------------------------------


def deferral_request(*, actor: Any, window_start: datetime.date, reason: str, evidence: Any) -> Deferral:
    """Apply in writing to extend one's window starting ``window_start`` (the current or the
    last one) by the rule's deferral."""
    require(actor, "credits.request_deferral")
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Explain why the training could not be completed in time.")
    if evidence is None:
        errors["evidence"] = _("Attach the written application.")
    if errors:
        raise CreditError(errors, code="invalid")
    window = window_at(actor, window_start)
    if window is None:
        raise CreditError({"window_start": _("No training window starts on this date.")}, code="invalid")
    if window.rule.deferral_years == 0:
        raise CreditError({"window_start": _("The rule for this window allows no deferral.")}, code="invalid")
    if window.end < timezone.localdate() - datetime.timedelta(days=366):
        raise CreditError({"window_start": _("This window ended too long ago.")}, code="invalid")
    with transaction.atomic():
        if Deferral.objects.filter(
            person=actor, window_start=window.start, state__in=["submitted", "approved"]
        ).exists():
            raise CreditError(_("A deferral of this window has already been applied for."), code="duplicate")
        stored = file_store(
            upload=evidence,
            actor=actor,
            organisation=actor.organisation,
            purpose=EVIDENCE_PURPOSE,
            allowed_kinds=EVIDENCE_KINDS,
        )
        deferral = Deferral(
            person=actor,
            organisation=actor.organisation,
            window_start=window.start,
            reason=reason.strip(),
            evidence=stored,
        )
        try:
            with transaction.atomic():
                deferral.save()
        except IntegrityError:
            raise CreditError(_("A deferral of this window has already been applied for."), code="duplicate") from None
        audit_create(actor=actor, target=deferral)
    return deferral


def deferral_decide(*, actor: Any, deferral: Deferral, approve: bool, reason: str = "") -> Deferral:
    reason = (reason or "").strip()
    with transaction.atomic():
        deferral = Deferral.objects.select_for_update().select_related("person").get(pk=deferral.pk)
        if deferral.state != DeferralState.SUBMITTED:
            raise CreditError(_("This application has already been decided."), code="illegal_transition")
        require(actor, "credits.decide_deferral", deferral)
        if not approve and not reason:
            raise CreditError({"reason": _("Give the reason for the refusal.")}, code="reason_required")
        source = deferral.state
        deferral.state = DeferralState.APPROVED if approve else DeferralState.REFUSED
        deferral.decided_by, deferral.decided_at, deferral.decision_reason = actor, timezone.now(), reason
        deferral.save()
        audit_transition(actor=actor, target=deferral, source=source, target_state=deferral.state, message=reason)
        _tell(
            deferral.person,
            gettext_noop("Deferral approved for the window from %(year)s")
            if approve
            else gettext_noop("Deferral refused for the window from %(year)s — %(reason)s"),
            {"year": deferral.window_start.year, "reason": reason},
            deferral.get_absolute_url(),
            deferral.organisation,
        )
    return deferral


def attended_registrations(person: Any) -> Any:
    """The person's confirmed registrations (for the claim form's session choice)."""
    return Registration.objects.filter(person=person, state=RegistrationState.CONFIRMED)


__all__ = [
    "HOURS",
    "CreditError",
    "HourLine",
    "Standing",
    "Window",
    "current_window",
    "hours_for",
    "session_grant",
    "session_hours_for",
    "standings_for",
    "window_at",
    "windows_for",
]
