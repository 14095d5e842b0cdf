"""Event reads, scoped by the user: staff read every session; a co-organiser's users read the
sessions their organisation co-organises (another's answers 404 like a missing one); the public
pages read published sessions only."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from huifu.accounts.models import User
from huifu.accounts.predicates import is_member_user, is_regulator, is_staff_user
from huifu.workdays.engine import DayType
from huifu.workdays.services import day_info

from .models import Registration, RegistrationState, Series, SeriesKind, Session, SessionState


def _sessions() -> QuerySet[Session]:
    return Session.objects.select_related("series").prefetch_related(
        "speakers__organisation", "products", "co_organisers"
    )


def session_list(*, user: Any, year: int | None = None, series: Series | None = None) -> QuerySet[Session]:
    """Sessions the user may manage or follow: all for staff, co-organised ones for partners."""
    qs = _sessions()
    if not is_staff_user(user):
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None or is_regulator(user):
            return Session.objects.none()
        qs = qs.filter(co_organisers=user.organisation_id)
    if year:
        qs = qs.filter(date__year=year)
    if series is not None:
        qs = qs.filter(series=series)
    return qs.order_by("date", "slot", "pk")


def session_get(*, user: Any, session_id: int) -> Session:
    session = session_list(user=user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def series_list(*, year: int | None = None) -> QuerySet[Series]:
    qs = Series.objects.all()
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "kind", "pk")


def series_get(*, series_id: int) -> Series:
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404
    return series


# --- public -------------------------------------------------------------------------------------


def public_session_list(*, when: str = "upcoming", today: datetime.date | None = None) -> QuerySet[Session]:
    """Published sessions; ``when`` is "upcoming" (today on, soonest first) or "past" (latest first)."""
    today = today or datetime.date.today()
    qs = _sessions().filter(state__in=SessionState.public())
    if when == "past":
        return qs.filter(date__lt=today).order_by("-date", "-slot", "-pk")
    return qs.filter(date__gte=today).order_by("date", "slot", "pk")


def public_session_get(*, session_id: int) -> Session:
    session = _sessions().filter(state__in=SessionState.public(), pk=session_id).first()
    if session is None:
        raise Http404
    return session


def public_series_sessions(*, series_id: int) -> tuple[Series, QuerySet[Session]]:
    series = series_get(series_id=series_id)
    return series, _sessions().filter(series=series, state__in=SessionState.public()).order_by("date", "slot")


# --- calendar and plan --------------------------------------------------------------------------


def date_warnings(day: datetime.date) -> list[str]:
    """Why a session on ``day`` deserves a second look (a holiday, a weekend, a 调休 working
    Saturday); empty for an ordinary working day. Warnings, not refusals."""
    info = day_info(day)
    warnings: list[str] = []
    if info.kind == DayType.HOLIDAY:
        warnings.append(_("%(day)s is a public holiday (%(name)s).") % {"day": day, "name": info.holiday_label})
    elif info.kind == DayType.MAKEUP_WORKDAY:
        warnings.append(
            _("%(day)s is a make-up working day (调休) for %(name)s.") % {"day": day, "name": info.holiday_label}
        )
    elif info.kind == DayType.WEEKEND:
        warnings.append(_("%(day)s is a weekend day.") % {"day": day})
    warnings.extend(str(w) for w in info.warnings)
    return warnings


@dataclass
class PlanMonth:
    month: int
    sessions: list[Session] = field(default_factory=list)
    gap: bool = False


def series_plan(*, user: Any, series: Series) -> list[PlanMonth]:
    """The year's plan, month by month. For the monthly talk a month without a (non-cancelled)
    session is a gap; a training series has no monthly rhythm, so it shows no gaps."""
    months = [PlanMonth(month=m) for m in range(1, 13)]
    for session in session_list(user=user, series=series):
        months[session.date.month - 1].sessions.append(session)
    if series.kind == SeriesKind.MONTHLY_TALK:
        for month in months:
            month.gap = not any(s.state != SessionState.CANCELLED for s in month.sessions)
    return months


# --- registrations ------------------------------------------------------------------------------


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.select_related("person", "registered_by", "organisation", "session__series")


def my_registrations(*, user: Any) -> QuerySet[Registration]:
    """The user's own registrations and those they made; a member company's users also see their
    company's registrations (never another company's)."""
    if not getattr(user, "is_authenticated", False):
        return Registration.objects.none()
    scope = Q(person=user) | Q(registered_by=user)
    if is_member_user(user) and user.organisation_id is not None:
        scope |= Q(organisation_id=user.organisation_id)
    return _registrations().filter(scope).order_by("-session__date", "created_at", "pk")


def session_registrations(*, user: Any, session: Session) -> QuerySet[Registration]:
    """A session's registrations as the user may see them: all for staff and the session's
    co-organiser, the user's own (and their company's) otherwise."""
    if user.has_perm("events.view_registrations", session):
        return _registrations().filter(session=session).order_by("created_at", "pk")
    return my_registrations(user=user).filter(session=session).order_by("created_at", "pk")


def registration_get(*, user: Any, registration_id: int) -> Registration:
    """A registration the user may act on (their own, their company's, or as staff/co-organiser)."""
    registration = _registrations().filter(pk=registration_id).first()
    if registration is None or not (
        user.has_perm("events.view_registrations", registration.session)
        or my_registrations(user=user).filter(pk=registration_id).exists()
    ):
        raise Http404
    return registration


def waiting_list(*, session: Session) -> QuerySet[Registration]:
    """The waiting list in order (first come, first served)."""
    return session.registrations.filter(state=RegistrationState.WAITLISTED).order_by("created_at", "pk")


def seats_taken(*, session: Session) -> int:
    return session.registrations.filter(state__in=RegistrationState.seated()).count()


def colleagues(*, user: Any) -> QuerySet[User]:
    """Active users of the user's company whom a member user may register."""
    if not is_member_user(user) or user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("full_name", "pk")


def event_ics_readable(user: Any, stored_file: Any) -> bool:
    """Files app hook: a session's .ics holds only public information (never the online link)."""
    return bool(getattr(user, "is_authenticated", False))


def desk_lookup(*, session: Session, query: str) -> list[Registration]:
    """Confirmed registrations of the session whose person's name, e-mail or phone contains ``query``."""
    return list(
        _registrations()
        .select_related("check_in")
        .filter(session=session, state=RegistrationState.CONFIRMED)
        .filter(
            Q(person__full_name__icontains=query)
            | Q(person__phone__icontains=query)
            | Q(person__email__icontains=query)
        )
        .order_by("person__full_name", "pk")[:20]
    )


def desk_counts(*, session: Session) -> dict[str, int]:
    confirmed = session.registrations.filter(state=RegistrationState.CONFIRMED)
    return {"confirmed": confirmed.count(), "checked_in": confirmed.filter(check_in__isnull=False).count()}
