"""How many hours a practitioner has, per two-year window and category (read-only).

Hours are read, never stored:

* **Sessions.** A confirmed registration of a session with a ``SessionCredit`` grants the
  session's hours when the person was checked in on site (events ``CheckIn``) or attended online
  by the events attendance result in force (``selectors_attendance.records_in_force``,
  ``attended`` already decided by the session's stamped attendance rule — not re-derived here).
  Online, ``OnlineMode.THRESHOLD`` grants the full hours; ``OnlineMode.PRO_RATA`` grants
  hours × minutes present in the scheduled time ÷ scheduled minutes (at most the full hours,
  rounded down to 0.1 h). Below the rule's minimum share: nothing, in both modes.
* **Other providers.** Approved ``ExternalClaim``s, on their completion date.

Windows: the chain starts on 1 January of the earliest rule's year; each window lasts the
``window_years`` of the rule in force at its start (the latest rule whose year is not after the
start), plus that rule's ``deferral_years`` when the person's deferral for that window was
approved; the next window starts the day after. A session or course counts in the window that
contains its date.

The functions here cost a constant number of queries whatever the number of people
(``standings_for`` reads rules, deferrals, registrations, grants and claims once each).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from huifu.events.models import CheckIn, Registration, RegistrationState, Session, SessionState
from huifu.events.selectors_attendance import records_in_force

from .models import (
    ClaimState,
    CreditRule,
    Deferral,
    DeferralState,
    ExternalClaim,
    HourCategory,
    OnlineMode,
    SessionHours,
)

ZERO = Decimal("0.0")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Window:
    """One training window of one person: ``start`` … ``end`` inclusive, under ``rule``."""

    start: datetime.date
    end: datetime.date
    rule: CreditRule
    deferral_id: int | None = None

    @property
    def deferred(self) -> bool:
        return self.deferral_id is not None

    @property
    def label(self) -> str:
        return f"{self.start.year}–{self.end.year}"

    @property
    def key(self) -> str:
        """Stable text for URLs and API parameters: the start date."""
        return self.start.isoformat()

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class HourLine:
    """Hours of one category from one session or one approved claim."""

    person_id: int
    day: datetime.date
    title: str
    provider: str
    category_id: int
    hours: Decimal
    source: str  # "session" or "external"
    session_id: int | None = None
    claim_id: int | None = None
    online_share: Decimal | None = None  # share of the scheduled minutes, online pro rata only
    on_site: bool = False


@dataclass
class Standing:
    """A person's hours in one window against the rule: totals, per category, what is missing."""

    person: Any
    window: Window
    lines: list[HourLine]
    categories: list[HourCategory]
    by_category: dict[int, Decimal] = field(default_factory=dict)
    total: Decimal = ZERO
    minimums: dict[int, Decimal] = field(default_factory=dict)

    def __post_init__(self) -> None:
        totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            totals[line.category_id] += line.hours
        self.by_category = dict(totals)
        self.total = sum(totals.values(), ZERO)
        self.minimums = {m.category_id: m.min_hours for m in self.window.rule.minimums.all()}

    @property
    def required(self) -> Decimal:
        return self.window.rule.min_hours

    @property
    def short_by_category(self) -> dict[int, Decimal]:
        return {
            category_id: minimum - self.by_category.get(category_id, ZERO)
            for category_id, minimum in self.minimums.items()
            if self.by_category.get(category_id, ZERO) < minimum
        }

    @property
    def short_total(self) -> Decimal:
        return max(self.required - self.total, ZERO)

    @property
    def short(self) -> Decimal:
        """Hours still missing: the total missing, or more when a category minimum needs more."""
        return max(self.short_total, sum(self.short_by_category.values(), ZERO))

    @property
    def met(self) -> bool:
        return self.short == ZERO

    @property
    def category_hours(self) -> list[Decimal]:
        """Hours per category in the order of ``categories`` (0.0 where none)."""
        return [self.by_category.get(category.pk, ZERO) for category in self.categories]

    def rows(self) -> list[tuple[HourCategory, Decimal, Decimal | None]]:
        """(category, hours, minimum or None) for every category with hours or a minimum."""
        return [
            (category, self.by_category.get(category.pk, ZERO), self.minimums.get(category.pk))
            for category in self.categories
            if category.pk in self.by_category or category.pk in self.minimums
        ]


# --- rules and windows ---------------------------------------------------------------------------


def rules_in_order() -> list[CreditRule]:
    """All rules, oldest first, with their category minimums (two queries)."""
    return list(CreditRule.objects.order_by("year").prefetch_related("minimums"))


def rule_for(day: datetime.date, rules: list[CreditRule]) -> CreditRule | None:
    found = None
    for rule in rules:
        if rule.year <= day.year:
            found = rule
    return found


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def window_chain(*, until: datetime.date, rules: list[CreditRule], deferrals: dict[datetime.date, int]) -> list[Window]:
    """The windows from the first rule's year up to the one containing ``until`` (inclusive).
    ``deferrals``: window start → id of the approved deferral."""
    if not rules:
        return []
    windows: list[Window] = []
    start = datetime.date(rules[0].year, 1, 1)
    while start <= until:
        rule = rule_for(start, rules)
        assert rule is not None
        deferral_id = deferrals.get(start)
        years = rule.window_years + (rule.deferral_years if deferral_id else 0)
        end = _years_later(start, years) - datetime.timedelta(days=1)
        windows.append(Window(start=start, end=end, rule=rule, deferral_id=deferral_id))
        start = end + datetime.timedelta(days=1)
    return windows


def _approved_deferrals(person_ids: Iterable[int]) -> dict[int, dict[datetime.date, int]]:
    found: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    for person_id, start, pk in Deferral.objects.filter(
        person_id__in=list(person_ids), state=DeferralState.APPROVED
    ).values_list("person_id", "window_start", "pk"):
        found[person_id][start] = pk
    return found


def windows_for(person: Any, *, until: datetime.date | None = None) -> list[Window]:
    """The person's windows, oldest first, up to the one containing ``until`` (default today)."""
    until = until or timezone.localdate()
    return window_chain(until=until, rules=rules_in_order(), deferrals=_approved_deferrals([person.pk])[person.pk])


def current_window(person: Any, *, on: datetime.date | None = None) -> Window | None:
    """The window containing ``on`` (default today), or None when no rule exists."""
    windows = windows_for(person, until=on)
    return windows[-1] if windows else None


def window_at(person: Any, start: datetime.date | str) -> Window | None:
    """The person's window starting on ``start`` (a date or its ISO text), or None."""
    if isinstance(start, str):
        try:
            start = datetime.date.fromisoformat(start)
        except ValueError:
            return None
    for window in windows_for(person, until=max(start, timezone.localdate())):
        if window.start == start:
            return window
    return None


# --- hours -----------------------------------------------------------------------------------------


def _credited_registrations(person_ids: list[int], start: datetime.date, end: datetime.date) -> QuerySet:
    """Confirmed registrations of credited sessions in the period that were checked in on site or
    attended online (events' result in force), with what is needed to grant their hours."""
    online = records_in_force().filter(registration=OuterRef("pk"), attended=True)
    return (
        Registration.objects.filter(
            person_id__in=person_ids,
            state=RegistrationState.CONFIRMED,
            session__date__range=(start, end),
            session__credit__isnull=False,
        )
        .exclude(session__state=SessionState.CANCELLED)
        .annotate(
            on_site=Exists(CheckIn.objects.filter(registration=OuterRef("pk"))),
            online_seconds=Subquery(online.values("seconds_in_schedule")[:1]),
            scheduled_seconds=F("session__attendance_result__scheduled_seconds"),
            online_mode=F("session__credit__online_mode"),
        )
        .filter(Q(on_site=True) | Q(online_seconds__isnull=False))
        .select_related("session__series")
        .order_by("session__date", "pk")
    )


def grant(
    hours: Decimal, *, on_site: bool, online_mode: str, seconds: int | None, scheduled: int | None
) -> tuple[Decimal, Decimal | None]:
    """Hours granted for full ``hours`` of a session and the share used (None: full hours).
    Attendance was already decided by events (checked in, or attended online by the rule)."""
    if on_site or online_mode != OnlineMode.PRO_RATA or not scheduled:
        return hours, None
    share = min(Decimal(seconds or 0) / Decimal(scheduled), Decimal(1))
    return (hours * share).quantize(TENTH, rounding=ROUND_DOWN), share


def _session_lines(person_ids: list[int], start: datetime.date, end: datetime.date) -> list[HourLine]:
    registrations = list(_credited_registrations(person_ids, start, end))
    if not registrations:
        return []
    grants: dict[int, list[SessionHours]] = defaultdict(list)
    for row in SessionHours.objects.filter(credit__session_id__in={r.session_id for r in registrations}).annotate(
        session_id=F("credit__session_id")
    ):
        grants[row.session_id].append(row)
    lines = []
    for registration in registrations:
        session = registration.session
        for row in grants[session.pk]:
            hours, share = grant(
                row.hours,
                on_site=registration.on_site,
                online_mode=registration.online_mode,
                seconds=registration.online_seconds,
                scheduled=registration.scheduled_seconds,
            )
            if hours <= ZERO:
                continue
            lines.append(
                HourLine(
                    person_id=registration.person_id,
                    day=session.date,
                    title=session.title,
                    provider=str(session.series),
                    category_id=row.category_id,
                    hours=hours,
                    source="session",
                    session_id=session.pk,
                    online_share=share,
                    on_site=registration.on_site,
                )
            )
    return lines


def _claim_lines(person_ids: list[int], start: datetime.date, end: datetime.date) -> list[HourLine]:
    return [
        HourLine(
            person_id=claim.person_id,
            day=claim.completed_on,
            title=claim.course_title,
            provider=claim.provider,
            category_id=claim.category_id,
            hours=claim.hours,
            source="external",
            claim_id=claim.pk,
        )
        for claim in ExternalClaim.objects.filter(
            person_id__in=person_ids, state=ClaimState.APPROVED, completed_on__range=(start, end)
        ).order_by("completed_on", "pk")
    ]


def hour_lines(person_ids: list[int], start: datetime.date, end: datetime.date) -> list[HourLine]:
    """Every hour line of these people dated ``start`` … ``end``, by date (three queries)."""
    lines = _session_lines(person_ids, start, end) + _claim_lines(person_ids, start, end)
    return sorted(lines, key=lambda line: (line.day, line.source, line.title))


def categories() -> list[HourCategory]:
    return list(HourCategory.objects.all())


def hours_for(person: Any, window: Window) -> Standing:
    """The person's hours in ``window`` (from ``windows_for`` / ``current_window``) against its
    rule: ``by_category`` {category id: hours}, ``total``, ``lines``, ``short``, ``met``."""
    lines = hour_lines([person.pk], window.start, window.end)
    return Standing(person=person, window=window, lines=lines, categories=categories())


def session_grant(session: Session) -> dict[HourCategory, Decimal]:
    """The full hours a session grants per category (empty: the session grants no hours)."""
    return {
        row.category: row.hours
        for row in SessionHours.objects.filter(credit__session=session).select_related("category")
    }


def session_hours_for(person: Any, session: Session) -> dict[HourCategory, Decimal]:
    """The hours ``person`` earned at ``session`` per category (after the partial-attendance
    rule); empty when they did not attend or the session grants no hours."""
    by_id = {c.pk: c for c in categories()}
    return {
        by_id[line.category_id]: line.hours
        for line in _session_lines([person.pk], session.date, session.date)
        if line.session_id == session.pk
    }


def standings_for(people: list[Any], *, on: datetime.date | None = None) -> list[Standing]:
    """Each person's standing in their window containing ``on`` (default today), in the order
    given. Constant queries whatever the number of people."""
    on = on or timezone.localdate()
    if not people:
        return []
    rules = rules_in_order()
    deferrals = _approved_deferrals([p.pk for p in people])
    windows = {}
    for person in people:
        chain = window_chain(until=on, rules=rules, deferrals=deferrals.get(person.pk, {}))
        if chain:
            windows[person.pk] = chain[-1]
    if not windows:
        return []
    start = min(w.start for w in windows.values())
    end = max(w.end for w in windows.values())
    by_person: dict[int, list[HourLine]] = defaultdict(list)
    for line in hour_lines(list(windows), start, end):
        if windows[line.person_id].contains(line.day):
            by_person[line.person_id].append(line)
    cats = categories()
    return [
        Standing(person=person, window=windows[person.pk], lines=by_person[person.pk], categories=cats)
        for person in people
        if person.pk in windows
    ]
