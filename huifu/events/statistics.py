"""Follow-up statistics of sessions and series (issue #11 point 9): reads, scoped by the user.

Definitions (the same on the page and in the export):

* **registered**: confirmed registrations (a seat held at the session; cancelled, refused,
  expired and waiting-list registrations are not counted);
* **attended on site**: confirmed and checked in; **online**: confirmed and attended online
  (``surveys.online_attended_q``); **attended**: either (a person counted once);
* **no-shows**: registered minus attended, once the session has ended (None before);
* **unique / repeat people** (series): distinct people who attended at least one / at least two
  sessions of the series;
* **audience mix**: confirmed registrations by the audience the person registered as, and by the
  kind of participant (public, member company, partner …);
* **satisfaction**: averages of each survey question and the number of answers.

Each figure is computed by one grouped query over all sessions shown, so a page runs the same
number of queries whatever the number of sessions or registrations.

Scope: staff see every session, a co-organiser its own sessions (``selectors.session_list``).
A member company's users see only their own staff's participation (``company_participation``),
never another company's.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from huifu.accounts.models import UserKind

from . import selectors
from .models import Audience, Registration, RegistrationState, Series, Session, SurveyResponse
from .services.surveys import QUESTION_KEYS, QUESTIONS, attended_q, on_site_attended_q, online_attended_q

CONFIRMED = Q(state=RegistrationState.CONFIRMED)
TWO_PLACES = Decimal("0.01")


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _avg(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def audience_label(value: str) -> str:
    return str(Audience(value).label) if value in Audience.values else str(_not_stated())


def participant_kind_label(value: str) -> str:
    return str(UserKind(value).label) if value in UserKind.values else value


def _not_stated() -> str:
    from django.utils.translation import gettext

    return gettext("Not stated")


@dataclass
class Figures:
    registered: int = 0
    on_site: int = 0
    online: int = 0
    attended: int = 0
    no_shows: int | None = None
    answers: int = 0
    averages: dict[str, Decimal | None] = field(default_factory=lambda: dict.fromkeys(QUESTION_KEYS))
    audiences: Counter[str] = field(default_factory=Counter)
    participant_kinds: Counter[str] = field(default_factory=Counter)

    @property
    def attendance_rate(self) -> Decimal | None:
        if not self.registered:
            return None
        return (Decimal(self.attended) * 100 / self.registered).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def average_rows(self) -> list[tuple[str, Decimal | None]]:
        """(question, average) in the order of the survey."""
        return [(str(q.short), self.averages.get(q.key)) for q in QUESTIONS]

    def audience_rows(self) -> list[tuple[str, int]]:
        return [(audience_label(k), n) for k, n in sorted(self.audiences.items(), key=lambda kv: (-kv[1], kv[0]))]

    def participant_kind_rows(self) -> list[tuple[str, int]]:
        return [
            (participant_kind_label(k), n)
            for k, n in sorted(self.participant_kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        ]


@dataclass
class SessionFigures:
    session: Session
    figures: Figures


@dataclass
class SeriesFigures:
    series: Series
    sessions: list[SessionFigures]
    totals: Figures
    unique_people: int = 0
    repeat_people: int = 0


def statistics_series(*, user: Any, year: int | None = None) -> QuerySet[Series]:
    """The series with at least one session the user may follow."""
    ids = selectors.session_list(user=user, year=year).values("series_id")
    return Series.objects.filter(pk__in=ids).order_by("-year", "kind", "pk")


def _registrations(session_ids: list[int]) -> QuerySet[Registration]:
    return Registration.objects.filter(session_id__in=session_ids).order_by()


def series_figures(*, user: Any, series: Series, now: datetime.datetime | None = None) -> SeriesFigures:
    """Figures of every session of ``series`` the user may follow, and of them together."""
    now = now or timezone.now()
    sessions = list(selectors.session_list(user=user, series=series).prefetch_related(None))
    ids = [s.pk for s in sessions]
    per_session = {s.pk: Figures() for s in sessions}
    totals = Figures()
    if not ids:
        return SeriesFigures(series=series, sessions=[], totals=totals)
    regs = _registrations(ids)
    counts = regs.values("session_id").annotate(
        registered=Count("pk", filter=CONFIRMED),
        on_site=Count("pk", filter=CONFIRMED & on_site_attended_q()),
        online=Count("pk", filter=CONFIRMED & online_attended_q()),
        attended=Count("pk", filter=attended_q()),
    )
    for row in counts:
        figures = per_session[row["session_id"]]
        for name in ("registered", "on_site", "online", "attended"):
            setattr(figures, name, row[name])
    for row in regs.filter(CONFIRMED).values("session_id", "audience").annotate(n=Count("pk")):
        per_session[row["session_id"]].audiences[row["audience"] or ""] += row["n"]
    for row in regs.filter(CONFIRMED).values("session_id", "person__kind").annotate(n=Count("pk")):
        per_session[row["session_id"]].participant_kinds[row["person__kind"]] += row["n"]
    survey = (
        SurveyResponse.objects.filter(registration__session_id__in=ids)
        .order_by()
        .values("registration__session_id")
        .annotate(n=Count("pk"), **{f"avg_{k}": Avg(k) for k in QUESTION_KEYS})
    )
    for row in survey:
        figures = per_session[row["registration__session_id"]]
        figures.answers = row["n"]
        figures.averages = {k: _avg(row[f"avg_{k}"]) for k in QUESTION_KEYS}
    series_survey = SurveyResponse.objects.filter(registration__session_id__in=ids).aggregate(
        n=Count("pk"), **{f"avg_{k}": Avg(k) for k in QUESTION_KEYS}
    )
    totals.answers = series_survey["n"]
    totals.averages = {k: _avg(series_survey[f"avg_{k}"]) for k in QUESTION_KEYS}
    people = regs.aggregate(unique=Count("person", distinct=True, filter=attended_q()))
    repeat = regs.filter(attended_q()).values("person").annotate(n=Count("session", distinct=True)).filter(n__gte=2)
    ended_no_shows = 0
    any_ended = False
    rows = []
    for session in sessions:
        figures = per_session[session.pk]
        if session.ends_at <= now:
            figures.no_shows = figures.registered - figures.attended
            ended_no_shows += figures.no_shows
            any_ended = True
        for name in ("registered", "on_site", "online", "attended"):
            setattr(totals, name, getattr(totals, name) + getattr(figures, name))
        totals.audiences.update(figures.audiences)
        totals.participant_kinds.update(figures.participant_kinds)
        rows.append(SessionFigures(session=session, figures=figures))
    totals.no_shows = ended_no_shows if any_ended else None
    return SeriesFigures(
        series=series, sessions=rows, totals=totals, unique_people=people["unique"], repeat_people=repeat.count()
    )


def session_figures(*, user: Any, session: Session, now: datetime.datetime | None = None) -> Figures:
    """The figures of one session (the session detail page's follow-up section)."""
    result = series_figures(user=user, series=session.series, now=now)
    for row in result.sessions:
        if row.session.pk == session.pk:
            return row.figures
    return Figures()


# --- a member company's own participation -------------------------------------------------------


@dataclass
class ParticipationSummary:
    series: Series
    registered: int
    attended: int
    people: int


def _company_registrations(*, user: Any, year: int | None) -> QuerySet[Registration]:
    if not user.has_perm("events.view_participation") or user.organisation_id is None:
        return Registration.objects.none()
    qs = Registration.objects.filter(CONFIRMED, organisation_id=user.organisation_id)
    if year:
        qs = qs.filter(session__date__year=year)
    return qs.order_by()


def company_participation(*, user: Any, year: int | None = None) -> QuerySet[Registration]:
    """The confirmed registrations of the user's own company's people, with attendance flags.
    Empty for anyone but a member company user; never another company's rows."""
    return (
        _company_registrations(user=user, year=year)
        .select_related("person", "session__series")
        .annotate(on_site=_flag(on_site_attended_q()), online=_flag(online_attended_q()))
        .order_by("-session__date", "person__full_name", "pk")
    )


def company_participation_summary(*, user: Any, year: int | None = None) -> list[ParticipationSummary]:
    rows = (
        _company_registrations(user=user, year=year)
        .values("session__series_id")
        .annotate(
            registered=Count("pk"),
            attended_n=Count("pk", filter=attended_q()),
            people=Count("person", distinct=True, filter=attended_q()),
        )
    )
    by_series = {r["session__series_id"]: r for r in rows}
    series = Series.objects.filter(pk__in=by_series).order_by("-year", "kind", "pk")
    return [
        ParticipationSummary(
            series=s,
            registered=by_series[s.pk]["registered"],
            attended=by_series[s.pk]["attended_n"],
            people=by_series[s.pk]["people"],
        )
        for s in series
    ]


def participant_rows(*, user: Any, series: Series) -> QuerySet[Registration]:
    """Staff and co-organisers: the confirmed registrations of the sessions they follow, for the
    export's participant sheet."""
    ids = selectors.session_list(user=user, series=series).values("pk")
    return (
        Registration.objects.filter(CONFIRMED, session_id__in=ids)
        .select_related("person", "organisation", "session", "survey_response")
        .annotate(on_site=_flag(on_site_attended_q()), online=_flag(online_attended_q()))
        .order_by("session__date", "session__slot", "session_id", "person__full_name", "pk")
    )
