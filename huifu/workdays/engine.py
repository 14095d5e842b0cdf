"""Working-day arithmetic on an in-memory snapshot of the calendar (no database access here).

``WorkingDayCalendar`` answers every question from a dict of special days and the set of years
whose official schedule is published. ``huifu.workdays.selectors.calendar_snapshot`` builds one
from the database (cached, never stale); ``huifu.workdays.services`` wraps it in plain functions.

A date in a year whose schedule is not published is still answered, with Monday–Friday
arithmetic (plus whatever special days staff have already entered for it), but every result
that touched such a year says so: ``provisional`` is True and ``warnings`` names the year.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import MAX_YEAR, MIN_YEAR, HolidayName, SpecialDayKind

# The official calendar is mainland China's, whatever the server's or user's time zone.
CHINA_TZ = ZoneInfo("Asia/Shanghai")
# Limits for one computation: about four years of working days, ten years of calendar days.
MAX_WORKING_DAYS = 1000
MAX_CALENDAR_DAYS = 3660

ONE_DAY = datetime.timedelta(days=1)


class DayType(enum.StrEnum):
    """What a date is in the working-day calendar."""

    WORKDAY = "workday"  # an ordinary Monday–Friday
    WEEKEND = "weekend"  # an ordinary Saturday or Sunday
    HOLIDAY = "holiday"  # a day off of a public holiday period (法定节假日 / 休息日)
    MAKEUP_WORKDAY = "makeup_workday"  # a Saturday or Sunday worked in exchange (调休上班日)

    @property
    def label(self) -> str:
        return str(DAY_TYPE_LABELS[self])


DAY_TYPE_LABELS = {
    DayType.WORKDAY: _("Working day"),
    DayType.WEEKEND: _("Weekend"),
    DayType.HOLIDAY: _("Public holiday"),
    DayType.MAKEUP_WORKDAY: _("Make-up working day"),
}


@dataclass(frozen=True)
class SpecialEntry:
    kind: str  # SpecialDayKind value
    holiday: str  # HolidayName value
    note: str = ""

    @property
    def holiday_label(self) -> str:
        if self.holiday == HolidayName.OTHER:
            return self.note
        return str(HolidayName(self.holiday).label)


@dataclass(frozen=True)
class YearSchedule:
    year: int
    published: bool
    status: str = ""
    source: str = ""
    notes: str = ""
    updated_at: datetime.datetime | None = None


def unpublished_warning(year: int) -> str:
    return gettext(
        "No official holiday schedule has been published for %(year)s yet: dates in %(year)s are "
        "counted Monday to Friday and may change when the schedule is published."
    ) % {"year": year}


@dataclass(frozen=True)
class _Flagged:
    unpublished_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        """True when a year without a published schedule was involved: treat the answer as an estimate."""
        return bool(self.unpublished_years)

    @property
    def warnings(self) -> list[str]:
        """One translated warning per year without a published schedule (empty when not provisional)."""
        return [unpublished_warning(year) for year in self.unpublished_years]


@dataclass(frozen=True)
class DayInfo(_Flagged):
    """Everything about one date. ``year_published`` is False for a year without a schedule."""

    day: datetime.date = datetime.date.min
    kind: DayType = DayType.WORKDAY
    holiday: str = ""  # HolidayName value, "" for an ordinary day
    holiday_label: str = ""  # e.g. "春节"; the note for HolidayName.OTHER
    note: str = ""

    @property
    def is_working_day(self) -> bool:
        return self.kind in (DayType.WORKDAY, DayType.MAKEUP_WORKDAY)

    @property
    def year_published(self) -> bool:
        return not self.unpublished_years


@dataclass(frozen=True)
class WorkdayResult(_Flagged):
    """The answer of ``add_working_days`` / ``next_working_day``: a date, and whether it is provisional."""

    date: datetime.date = datetime.date.min


@dataclass(frozen=True)
class WorkdayCount(_Flagged):
    """The answer of ``working_days_between``."""

    days: int = 0


@dataclass(frozen=True)
class Deadline(_Flagged):
    """A due moment: the end (23:59:59.999999, Asia/Shanghai) of ``date``.

    ``on_working_day`` is always True for working-day deadlines; a calendar-day deadline
    ("within 2 weeks") may fall on a weekend or holiday, and says so here.
    """

    at: datetime.datetime = datetime.datetime.min.replace(tzinfo=CHINA_TZ)
    date: datetime.date = datetime.date.min
    on_working_day: bool = True


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError about one argument or form field, with a stable ``code``."""
    return ValidationError({field: ValidationError(message, code=code)})


def end_of_day(day: datetime.date) -> datetime.datetime:
    """23:59:59.999999 of ``day`` in Asia/Shanghai, timezone-aware."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=CHINA_TZ)


def china_date(moment: datetime.datetime) -> datetime.date:
    """The date in Asia/Shanghai of an aware datetime. A naive datetime is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(CHINA_TZ).date()


def check_day(day: datetime.date, field: str = "date") -> None:
    """Refuse a date outside the years the calendar handles (ValidationError naming ``field``)."""
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"{field} must be a datetime.date")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise field_error(
            field,
            _("Dates must be between the years %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            "out_of_range",
        )


def check_count(n: int, limit: int, field: str = "days") -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{field} must be an int")
    if abs(n) > limit:
        raise field_error(field, _("At most %(limit)s days forward or back.") % {"limit": limit}, "too_many_days")


class WorkingDayCalendar:
    """An immutable snapshot of the working-day calendar. Safe to share between threads."""

    def __init__(self, special: Mapping[datetime.date, SpecialEntry], years: Iterable[YearSchedule]) -> None:
        self._special = dict(special)
        self._years = {y.year: y for y in years}
        self._published = frozenset(y.year for y in self._years.values() if y.published)

    # --- years -------------------------------------------------------------------------------
    def is_year_published(self, year: int) -> bool:
        return year in self._published

    def year(self, year: int) -> YearSchedule:
        """The year's record; an unrecorded year is reported as not published."""
        return self._years.get(year) or YearSchedule(year=year, published=False)

    def years(self) -> list[YearSchedule]:
        return sorted(self._years.values(), key=lambda y: y.year)

    def special_days(self, year: int) -> list[tuple[datetime.date, SpecialEntry]]:
        return sorted((d, e) for d, e in self._special.items() if d.year == year)

    def _unpublished(self, first: datetime.date, last: datetime.date) -> tuple[int, ...]:
        lo, hi = min(first, last), max(first, last)
        return tuple(y for y in range(lo.year, hi.year + 1) if y not in self._published)

    # --- single days -------------------------------------------------------------------------
    def day_type(self, day: datetime.date) -> DayType:
        entry = self._special.get(day)
        if entry is not None:
            return DayType.HOLIDAY if entry.kind == SpecialDayKind.HOLIDAY else DayType.MAKEUP_WORKDAY
        return DayType.WEEKEND if day.isoweekday() >= 6 else DayType.WORKDAY

    def is_working_day(self, day: datetime.date) -> bool:
        entry = self._special.get(day)
        if entry is not None:
            return entry.kind == SpecialDayKind.MAKEUP_WORKDAY
        return day.isoweekday() <= 5

    def day_info(self, day: datetime.date) -> DayInfo:
        check_day(day)
        entry = self._special.get(day)
        return DayInfo(
            day=day,
            kind=self.day_type(day),
            holiday=entry.holiday if entry else "",
            holiday_label=entry.holiday_label if entry else "",
            note=entry.note if entry else "",
            unpublished_years=self._unpublished(day, day),
        )

    # --- arithmetic --------------------------------------------------------------------------
    def add_working_days(self, start: datetime.date, n: int) -> WorkdayResult:
        """See ``huifu.workdays.services.add_working_days``."""
        check_day(start, "start")
        check_count(n, MAX_WORKING_DAYS)
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += ONE_DAY
            check_day(day, "days")
            return WorkdayResult(date=day, unpublished_years=self._unpublished(start, day))
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        check_day(day, "days")  # the answer must stay within the calendar's years too
        return WorkdayResult(date=day, unpublished_years=self._unpublished(start + step, day))

    def next_working_day(self, day: datetime.date) -> WorkdayResult:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> WorkdayCount:
        """See ``huifu.workdays.services.working_days_between``."""
        check_day(start, "start")
        check_day(end, "end")
        if start == end:
            return WorkdayCount(days=0)
        lo, hi, sign = (start, end, 1) if start < end else (end, start, -1)
        if (hi - lo).days > MAX_CALENDAR_DAYS * 3:
            raise field_error("end", _("The two dates are too far apart."), "too_far_apart")
        count = 0
        day = lo
        while day < hi:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return WorkdayCount(days=sign * count, unpublished_years=self._unpublished(lo + ONE_DAY, hi))

    def deadline_at(self, start: datetime.datetime, working_days: int) -> Deadline:
        """See ``huifu.workdays.services.deadline_at``."""
        result = self.add_working_days(china_date(start), working_days)
        return Deadline(at=end_of_day(result.date), date=result.date, unpublished_years=result.unpublished_years)

    def calendar_deadline_at(self, start: datetime.datetime, days: int) -> Deadline:
        """See ``huifu.workdays.services.calendar_deadline_at``."""
        check_count(days, MAX_CALENDAR_DAYS)
        first = china_date(start)
        check_day(first, "start")
        due = first + datetime.timedelta(days=days)
        check_day(due, "days")
        return Deadline(
            at=end_of_day(due),
            date=due,
            on_working_day=self.is_working_day(due),
            unpublished_years=self._unpublished(due, due),
        )
