"""Event writes: the named operations.

Keyword-only, ``actor`` first-class (``huifu.core.permissions.require``; the system passes
``system_actor()``), one transaction and one audit entry each. Bad input raises
``ValidationError`` keyed by the field; an illegal state move raises ``SessionStateError``
(code ``illegal_transition``). A session on a holiday, weekend or 调休 day is allowed: the
pages show ``selectors.date_warnings`` next to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.system import is_system_actor
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, diff, snapshot
from huifu.core.permissions import require
from huifu.directory.models import Organisation
from huifu.products.models import Product

from ..models import (
    CO_ORGANISER_KINDS,
    SESSION_FIELDS,
    TRANSITIONS,
    Audience,
    Mode,
    RegistrationState,
    Series,
    SeriesKind,
    Session,
    SessionState,
    Slot,
    Speaker,
    TopicType,
)

# Fields a co-organiser may not change (the exchange decides the date and the place).
MANAGER_ONLY_FIELDS = frozenset(
    {
        "date",
        "slot",
        "mode",
        "capacity",
        "requires_approval",
        "registration_closes_at",
        "audience_quotas",
        "company_seat_limit",
        "waiting_list",
    }
)


class SessionStateError(ValidationError):
    """The operation does not fit the session's state."""


def _text(value: Any, field: str, *, required: bool = False, max_length: int = 200) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}}, code="max_length")
    return text


# --- series ------------------------------------------------------------------------------------


def _clean_series(year: Any, kind: Any, title_zh: Any, title_en: Any, offer_working_days: Any) -> dict[str, Any]:
    if (
        isinstance(offer_working_days, bool)
        or not isinstance(offer_working_days, int)
        or not 0 <= offer_working_days <= 10
    ):
        raise ValidationError(
            {"offer_working_days": _("Enter a number of working days between 0 and 10.")}, code="invalid"
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")}, code="invalid")
    if kind not in SeriesKind.values:
        raise ValidationError({"kind": _("Choose a series kind.")}, code="invalid_choice")
    return {
        "year": year,
        "kind": kind,
        "title_zh": _text(title_zh, "title_zh", required=True),
        "title_en": _text(title_en, "title_en"),
        "offer_working_days": offer_working_days,
    }


def _series_unique(data: dict[str, Any], exclude: int | None = None) -> None:
    qs = Series.objects.filter(year=data["year"], title_zh=data["title_zh"])
    if exclude:
        qs = qs.exclude(pk=exclude)
    if qs.exists():
        raise ValidationError({"title_zh": _("A series with this title exists for this year.")}, code="duplicate")


@transaction.atomic
def series_create(
    *,
    actor: Any,
    year: int,
    kind: str,
    title_zh: str,
    title_en: str = "",
    description: str = "",
    offer_working_days: int = 1,
) -> Series:
    """Create a yearly series (the monthly talk, or a training programme). ``offer_working_days``:
    how long a seat offered from the waiting list is held (end of that working day; 0 = today)."""
    require(actor, "events.manage_series")
    data = _clean_series(year, kind, title_zh, title_en, offer_working_days)
    _series_unique(data)
    series = Series.objects.create(**data, description=_text(description, "description", max_length=5000))
    audit_create(actor=actor, target=series)
    return series


@transaction.atomic
def series_update(
    *,
    actor: Any,
    series: Series,
    year: int,
    kind: str,
    title_zh: str,
    title_en: str = "",
    description: str = "",
    offer_working_days: int = 1,
) -> Series:
    require(actor, "events.manage_series", series)
    series = Series.objects.select_for_update().get(pk=series.pk)
    data = _clean_series(year, kind, title_zh, title_en, offer_working_days)
    if data["year"] != series.year and series.sessions.exclude(date__year=data["year"]).exists():
        raise ValidationError({"year": _("The series has sessions in another year.")}, code="sessions_outside_year")
    _series_unique(data, exclude=series.pk)
    before = snapshot(series)
    for name, value in data.items():
        setattr(series, name, value)
    series.description = _text(description, "description", max_length=5000)
    series.save()
    audit_update(actor=actor, target=series, before=before)
    return series


# --- sessions ----------------------------------------------------------------------------------


def _clean_session(series: Series, data: dict[str, Any]) -> dict[str, Any]:
    """Validate a session's fields; every error keyed by its field, all at once."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    clean: dict[str, Any] = {}
    for name, length in (("title", 200), ("room", 100), ("address", 300), ("platform", 100), ("link", 500)):
        try:
            clean[name] = _text(data.get(name), name, required=name == "title", max_length=length)
        except ValidationError as exc:
            error(name, exc.message_dict[name][0])
    clean["programme"] = str(data.get("programme") or "").strip()[:10000]
    day = data.get("date")
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        error("date", _("Enter a valid date."))
    elif day.year != series.year:
        error("date", _("The date must lie in the series' year %(year)s.") % {"year": series.year})
    clean["date"] = day
    clean["slot"] = data.get("slot") or Slot.AFTERNOON
    if clean["slot"] not in Slot.values:
        error("slot", _("Choose morning or afternoon."))
    clean["mode"] = data.get("mode") or Mode.ON_SITE
    if clean["mode"] not in Mode.values:
        error("mode", _("Choose on site, online or both."))
    clean["topic_type"] = data.get("topic_type") or ""
    if clean["topic_type"] not in TopicType.values:
        error("topic_type", _("Choose a topic type."))
    audiences = list(dict.fromkeys(data.get("audiences") or []))
    allowed = Audience.for_kind(series.kind)
    if not audiences:
        error("audiences", _("Choose at least one audience."))
    elif any(a not in allowed for a in audiences):
        error("audiences", _("An audience this series does not address was chosen."))
    clean["audiences"] = audiences
    capacity = data.get("capacity")
    if capacity in ("", None):
        capacity = None
    elif isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 100000:
        error("capacity", _("Enter a number of seats between 1 and 100000."))
    clean["capacity"] = capacity
    if clean["mode"] in Mode.with_venue():
        if capacity is None and "capacity" not in errors:
            error("capacity", _("A session on site needs a capacity."))
        if not clean.get("address") and "address" not in errors:
            error("address", _("A session on site needs an address."))
    if clean["mode"] in Mode.with_platform() and not clean.get("platform") and "platform" not in errors:
        error("platform", _("An online session needs a platform."))
    if clean.get("link"):
        try:
            URLValidator(schemes=["https", "http"])(clean["link"])
        except ValidationError:
            error("link", _("Enter a valid web address."))
    clean["requires_approval"] = bool(data.get("requires_approval"))
    closes = data.get("registration_closes_at")
    if closes is not None and (not isinstance(closes, datetime.datetime) or timezone.is_naive(closes)):
        error("registration_closes_at", _("Enter a valid date and time."))
    elif closes is not None and "date" not in errors and "slot" not in errors:
        starts = Session(date=clean["date"], slot=clean["slot"]).starts_at
        if closes > starts:
            error("registration_closes_at", _("Registration must close before the session starts."))
    clean["registration_closes_at"] = closes
    # Seats per audience and per company (registration helper, services/registrations.py).
    from .registrations import clean_seat_rules

    quotas, limit, seat_errors = clean_seat_rules(
        capacity=capacity if "capacity" not in errors else None,
        audiences=audiences,
        quotas=data.get("audience_quotas"),
        company_seat_limit=data.get("company_seat_limit"),
    )
    for name, messages in seat_errors.items():
        if name != "audience_quotas" or "capacity" not in errors:
            errors.setdefault(name, []).extend(messages)
    clean.update(
        audience_quotas=quotas, company_seat_limit=limit, waiting_list=data.get("waiting_list", True) is not False
    )
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_relations(
    products: Iterable[Product] | None, speakers: Iterable[Speaker] | None, co_organisers: Iterable[Organisation] | None
) -> tuple[list[Product], list[Speaker], list[Organisation]]:
    organisations = list(co_organisers or [])
    if any(org.kind not in CO_ORGANISER_KINDS for org in organisations):
        raise ValidationError(
            {"co_organisers": _("Only universities, training institutions, associations and members co-organise.")},
            code="invalid_co_organiser",
        )
    return list(products or []), list(speakers or []), organisations


def _relations_snapshot(session: Session) -> dict[str, list[int]]:
    return {
        "products": sorted(session.products.values_list("pk", flat=True)),
        "speakers": sorted(session.speakers.values_list("pk", flat=True)),
        "co_organisers": sorted(session.co_organisers.values_list("pk", flat=True)),
    }


@transaction.atomic
def session_create(
    *,
    actor: Any,
    series: Series,
    products: Iterable[Product] | None = None,
    speakers: Iterable[Speaker] | None = None,
    co_organisers: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Session:
    """Create a draft session of ``series``. ``fields`` are those in ``SESSION_FIELDS``."""
    require(actor, "events.add_session")
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_create: unknown fields {sorted(unknown)}")
    clean = _clean_session(series, fields)
    product_list, speaker_list, organisations = _clean_relations(products, speakers, co_organisers)
    session = Session.objects.create(series=series, **clean)
    session.products.set(product_list)
    session.speakers.set(speaker_list)
    session.co_organisers.set(organisations)
    audit_create(actor=actor, target=session)
    return session


@transaction.atomic
def session_update(
    *,
    actor: Any,
    session: Session,
    products: Iterable[Product] | None = None,
    speakers: Iterable[Speaker] | None = None,
    co_organisers: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Session:
    """Change a draft or published session. A co-organiser may edit the content (title, programme,
    room, platform, link, speakers, products, audiences) but not the date, slot, mode, capacity
    or the co-organisers; ``None`` for a relation leaves it unchanged."""
    session = Session.objects.select_for_update().select_related("series").get(pk=session.pk)
    require(actor, "events.change_session", session)
    if session.state not in SessionState.editable():
        raise SessionStateError(_("A cancelled session cannot be changed."), code="illegal_transition")
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"session_update: unknown fields {sorted(unknown)}")
    is_manager = is_system_actor(actor) or actor.has_perm("events.add_session")
    current = {name: getattr(session, name) for name in SESSION_FIELDS}
    merged = {**current, **fields}
    if not is_manager:
        changed = {name for name in MANAGER_ONLY_FIELDS if merged[name] != current[name]}
        if changed or co_organisers is not None:
            raise ValidationError(
                {name: _("Only the exchange changes this.") for name in sorted(changed) or ["co_organisers"]},
                code="manager_only",
            )
    clean = _clean_session(session.series, merged)
    taken = session.registrations.filter(state__in=RegistrationState.seated()).count()
    if clean["capacity"] is not None and clean["capacity"] < taken:
        raise ValidationError(
            {"capacity": _("%(taken)d seats are taken: the capacity cannot be lower.") % {"taken": taken}},
            code="capacity_below_seats",
        )
    product_list, speaker_list, organisations = _clean_relations(products, speakers, co_organisers)
    before = {**snapshot(session, SESSION_FIELDS), **_relations_snapshot(session)}
    for name, value in clean.items():
        setattr(session, name, value)
    seat_fields = ("capacity", "audience_quotas", "audiences", "company_seat_limit")
    if any(getattr(session, name) != current[name] for name in seat_fields):
        from .registrations import check_seats_fit

        check_seats_fit(session)  # every quota still holds the seats taken in it
    session.save()
    if products is not None:
        session.products.set(product_list)
    if speakers is not None:
        session.speakers.set(speaker_list)
    if co_organisers is not None:
        session.co_organisers.set(organisations)
    if any(getattr(session, name) != current[name] for name in (*seat_fields, "registration_closes_at")):
        from .registrations import session_seats_changed

        session_seats_changed(session=session, actor=actor)
    changes = diff(before, {**snapshot(session, SESSION_FIELDS), **_relations_snapshot(session)})
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=session, changes=changes)
    return session


def _move(session: Session, target: str, actor: Any, message: str = "") -> Session:
    if target not in TRANSITIONS[session.state]:
        raise SessionStateError(
            _("A session that is “%(state)s” cannot become “%(target)s”.")
            % {"state": session.get_state_display(), "target": SessionState(target).label},
            code="illegal_transition",
        )
    source = session.state
    session.state = target
    if target == SessionState.PUBLISHED and session.published_at is None:
        session.published_at = timezone.now()
    if target == SessionState.DRAFT:
        session.published_at = None
    session.save(update_fields=["state", "published_at", "updated_at"])
    audit_transition(actor=actor, target=session, source=source, target_state=target, message=message[:500])
    return session


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("series").get(pk=session.pk)


@transaction.atomic
def session_publish(*, actor: Any, session: Session) -> Session:
    """Show the session on the public pages."""
    session = _lock(session)
    require(actor, "events.publish_session", session)
    return _move(session, SessionState.PUBLISHED, actor)


@transaction.atomic
def session_withdraw(*, actor: Any, session: Session) -> Session:
    """Take a published session back to draft (off the public pages)."""
    session = _lock(session)
    require(actor, "events.publish_session", session)
    return _move(session, SessionState.DRAFT, actor)


@transaction.atomic
def session_cancel(*, actor: Any, session: Session, reason: str) -> Session:
    """Cancel a published session (terminal). The reason is kept in the audit entry."""
    session = _lock(session)
    require(actor, "events.publish_session", session)
    reason = _text(reason, "reason", required=True, max_length=500)
    return _move(session, SessionState.CANCELLED, actor, reason)
