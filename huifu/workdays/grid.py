"""The year page's twelve month grids, built from a calendar snapshot (no database access)."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass

from django.utils.dates import MONTHS

from .engine import DayType, WorkingDayCalendar
from .models import SpecialDayKind


@dataclass(frozen=True)
class Cell:
    day: datetime.date
    kind: DayType
    holiday_label: str
    is_today: bool

    @property
    def css(self) -> str:
        return f"wd-{self.kind.value}" + (" wd-today" if self.is_today else "")

    @property
    def title(self) -> str:
        parts = [self.day.isoformat(), self.kind.label]
        if self.holiday_label:
            parts.append(self.holiday_label)
        return " · ".join(parts)


@dataclass(frozen=True)
class Month:
    number: int
    name: str
    weeks: list[list[Cell | None]]  # Monday first; None pads days of the neighbouring months


def year_grid(calendar: WorkingDayCalendar, year: int, today: datetime.date) -> list[Month]:
    weeks_of = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar
    months = []
    for number in range(1, 13):
        weeks = []
        for week in weeks_of(year, number):
            row: list[Cell | None] = []
            for day in week:
                if day.month != number:
                    row.append(None)
                    continue
                info = calendar.day_info(day)
                row.append(Cell(day=day, kind=info.kind, holiday_label=info.holiday_label, is_today=day == today))
            weeks.append(row)
        months.append(Month(number=number, name=str(MONTHS[number]), weeks=weeks))
    return months


@dataclass(frozen=True)
class HolidayPeriod:
    """One holiday of the year: its days off as date ranges, and the weekend days worked for it."""

    holiday_label: str
    days_off: list[tuple[datetime.date, datetime.date]]
    makeup_days: list[datetime.date]

    @property
    def days_off_count(self) -> int:
        return sum((last - first).days + 1 for first, last in self.days_off)


def holiday_periods(calendar: WorkingDayCalendar, year: int) -> list[HolidayPeriod]:
    """The year's special days grouped by holiday, in the order the holidays first appear."""
    groups: dict[str, tuple[list[datetime.date], list[datetime.date]]] = {}
    for day, entry in calendar.special_days(year):
        off, makeup = groups.setdefault(entry.holiday_label, ([], []))
        (makeup if entry.kind == SpecialDayKind.MAKEUP_WORKDAY else off).append(day)
    periods = []
    for label, (off, makeup) in groups.items():
        ranges: list[tuple[datetime.date, datetime.date]] = []
        for day in off:
            if ranges and (day - ranges[-1][1]).days == 1:
                ranges[-1] = (ranges[-1][0], day)
            else:
                ranges.append((day, day))
        periods.append(HolidayPeriod(holiday_label=label, days_off=ranges, makeup_days=makeup))
    return sorted(periods, key=lambda p: min([*(r[0] for r in p.days_off), *p.makeup_days]))
