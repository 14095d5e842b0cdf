"""The database holds the calendar's invariants even when the services are bypassed."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from huifu.workdays.models import CalendarYear, HolidayName, ScheduleStatus, SpecialDay, SpecialDayKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]


def _create(**kwargs):
    with transaction.atomic():
        return SpecialDay.objects.create(**kwargs)


@pytest.mark.parametrize("day", [dt.date(2030, 10, 7), dt.date(2030, 10, 11)])  # a Monday, a Friday
def test_makeup_working_day_on_a_weekday_is_refused(day):
    with pytest.raises(IntegrityError):
        _create(day=day, kind=SpecialDayKind.MAKEUP_WORKDAY, holiday=HolidayName.NATIONAL_DAY)


@pytest.mark.parametrize("day", [dt.date(2030, 10, 12), dt.date(2030, 10, 13)])  # Saturday, Sunday
def test_makeup_working_day_on_a_weekend_is_accepted(day):
    assert _create(day=day, kind=SpecialDayKind.MAKEUP_WORKDAY, holiday=HolidayName.NATIONAL_DAY).pk


def test_holiday_may_fall_on_any_day():
    for day in (dt.date(2030, 10, 1), dt.date(2030, 10, 5)):  # Tuesday, Saturday
        assert _create(day=day, kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NATIONAL_DAY).pk


def test_one_row_per_date():
    _create(day=dt.date(2030, 10, 1), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NATIONAL_DAY)
    with pytest.raises(IntegrityError):
        _create(day=dt.date(2030, 10, 1), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NATIONAL_DAY)


def test_seeded_dates_are_unique_too():
    with pytest.raises(IntegrityError):
        _create(day=dt.date(2023, 10, 7), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NATIONAL_DAY)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "rest", "holiday": HolidayName.NATIONAL_DAY},
        {"kind": SpecialDayKind.HOLIDAY, "holiday": "christmas"},
        {"kind": SpecialDayKind.HOLIDAY, "holiday": HolidayName.OTHER, "note": ""},
    ],
)
def test_invalid_kind_holiday_or_unnamed_other_is_refused(fields):
    with pytest.raises(IntegrityError):
        _create(day=dt.date(2030, 3, 4), **fields)


def test_other_holiday_with_a_name_is_accepted():
    day = _create(day=dt.date(2030, 9, 3), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.OTHER, note="纪念日")
    assert day.holiday_label == "纪念日"


def test_published_year_needs_a_source():
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarYear.objects.create(year=2030, status=ScheduleStatus.PUBLISHED, source="")
    assert CalendarYear.objects.create(year=2030, status=ScheduleStatus.PUBLISHED, source="国办发明电〔2029〕1号").pk


@pytest.mark.parametrize("year", [1989, 2200])
def test_year_out_of_range_is_refused(year):
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarYear.objects.create(year=year)


def test_string_forms():
    day = SpecialDay.objects.get(day=dt.date(2023, 10, 7))
    assert str(day).startswith("2023-10-07")
    assert str(CalendarYear.objects.get(year=2023)) == "2023"
