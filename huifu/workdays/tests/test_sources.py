"""Reading the chinesecalendar package: what it contains and how it maps to our choices."""

import datetime as dt

import chinese_calendar

from huifu.workdays.models import HolidayName, SpecialDayKind
from huifu.workdays.sources import package_schedule, package_source, package_years


def test_source_names_the_package_and_its_version():
    assert package_source() == f"chinesecalendar {chinese_calendar.__version__}"


def test_package_covers_the_seeded_years():
    assert {2023, 2024, 2025, 2026} <= set(package_years())


def test_unknown_year_has_no_schedule():
    assert package_schedule(2099) == []


def test_holidays_dict_lists_weekend_days_inside_a_holiday_period_but_no_ordinary_weekend():
    # Saturday 2023-01-21 is inside the Spring Festival break; Saturday 2023-01-14 is an ordinary weekend.
    assert chinese_calendar.holidays[dt.date(2023, 1, 21)] == "Spring Festival"
    assert dt.date(2023, 1, 14) not in chinese_calendar.holidays
    days = {d.day: d for d in package_schedule(2023)}
    assert days[dt.date(2023, 1, 21)].kind == SpecialDayKind.HOLIDAY
    assert dt.date(2023, 1, 14) not in days


def test_every_package_year_maps_to_known_holidays_and_weekend_makeup_days():
    for year in package_years():
        for d in package_schedule(year):
            assert d.holiday in HolidayName.values
            assert d.kind in SpecialDayKind.values
            if d.kind == SpecialDayKind.MAKEUP_WORKDAY:
                assert d.day.isoweekday() >= 6, d
            if d.holiday == HolidayName.OTHER:
                assert d.note


def test_one_off_holiday_keeps_its_chinese_name_in_the_note():
    (day,) = [d for d in package_schedule(2015) if d.day == dt.date(2015, 9, 3)]
    assert day.holiday == HolidayName.OTHER
    assert "70周年" in day.note


def test_schedule_is_sorted_and_has_both_kinds():
    days = package_schedule(2025)
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert {d.kind for d in days} == {SpecialDayKind.HOLIDAY, SpecialDayKind.MAKEUP_WORKDAY}
