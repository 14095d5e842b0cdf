"""Reading official schedules out of the ``chinesecalendar`` package (no database here).

``chinese_calendar.holidays`` maps every *day off* of a statutory holiday period to the English
value of its ``Holiday`` enum ("Spring Festival"); that includes the Saturdays and Sundays inside
the period (2023-01-21, a Saturday, is listed as Spring Festival) but never an ordinary weekend.
``chinese_calendar.workdays`` maps every weekend make-up working day (调休上班日) to the holiday
it makes up for. Both are used as they are; ordinary weekdays and weekends are not stored.

The data migration and ``services.calendar_year_import`` both call ``package_schedule``, so the
seed and a later re-import read the package the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar

from .models import HolidayName, SpecialDayKind

PACKAGE_NAME = "chinesecalendar"


@dataclass(frozen=True)
class PackageDay:
    day: datetime.date
    kind: str  # SpecialDayKind value
    holiday: str  # HolidayName value
    note: str = ""


def package_version() -> str:
    return str(getattr(chinese_calendar, "__version__", "unknown"))


def package_source() -> str:
    """The ``CalendarYear.source`` text for data taken from the installed package."""
    return f"{PACKAGE_NAME} {package_version()}"


def _holiday_of(english_value: str) -> tuple[str, str]:
    """(HolidayName value, note) for one of chinesecalendar's English holiday values."""
    member = chinese_calendar.Holiday(english_value)
    if member.name in HolidayName.values and member.name != HolidayName.OTHER:
        return member.name, ""
    # A one-off holiday (e.g. the 2015 anti-fascist 70th anniversary): keep its Chinese name.
    return HolidayName.OTHER, member.chinese


def package_years() -> list[int]:
    """The years the installed package has a schedule for."""
    return sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})


def package_schedule(year: int) -> list[PackageDay]:
    """Every special day of ``year`` known to the package, in date order; [] if it has none."""
    days: list[PackageDay] = []
    for day, value in chinese_calendar.holidays.items():
        if day.year == year:
            holiday, note = _holiday_of(value)
            days.append(PackageDay(day, SpecialDayKind.HOLIDAY.value, holiday, note))
    for day, value in chinese_calendar.workdays.items():
        if day.year == year:
            holiday, note = _holiday_of(value)
            days.append(PackageDay(day, SpecialDayKind.MAKEUP_WORKDAY.value, holiday, note))
    return sorted(days, key=lambda d: d.day)
