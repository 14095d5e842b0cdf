"""The year page's twelve month grids, built from a calendar snapshot (no database access)."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime
from dataclasses import dataclass

from django.utils.dates import MONTHS

from .engine import DayType, WorkingDayCalendar


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
