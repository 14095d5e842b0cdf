"""The arithmetic itself, on hand-built calendars (no database)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huifu.workdays.engine import (
    CHINA_TZ,
    MAX_CALENDAR_DAYS,
    MAX_WORKING_DAYS,
    DayType,
    SpecialEntry,
    WorkingDayCalendar,
    YearSchedule,
    end_of_day,
)

D = dt.date
HOLIDAY = SpecialEntry(kind="holiday", holiday="national_day")
MAKEUP = SpecialEntry(kind="makeup_workday", holiday="national_day")


@pytest.fixture
def cal():
    """2023 published, with the Mid-autumn/National Day break 09-29…10-06 and make-up days 10-07/10-08."""
    special = {D(2023, 9, 29): SpecialEntry(kind="holiday", holiday="mid_autumn_festival")}
    special.update({D(2023, 9, 30) + dt.timedelta(days=i): HOLIDAY for i in range(7)})
    special.update({D(2023, 10, 7): MAKEUP, D(2023, 10, 8): MAKEUP})
    return WorkingDayCalendar(special, [YearSchedule(2023, published=True), YearSchedule(2024, published=False)])


def test_day_types(cal):
    assert cal.day_type(D(2023, 9, 28)) is DayType.WORKDAY
    assert cal.day_type(D(2023, 9, 23)) is DayType.WEEKEND
    assert cal.day_type(D(2023, 10, 2)) is DayType.HOLIDAY
    assert cal.day_type(D(2023, 10, 7)) is DayType.MAKEUP_WORKDAY
    assert cal.is_working_day(D(2023, 10, 8)) and not cal.is_working_day(D(2023, 9, 29))


def test_day_info_names_the_holiday(cal):
    info = cal.day_info(D(2023, 9, 29))
    assert (info.kind, info.holiday, info.is_working_day, info.year_published) == (
        DayType.HOLIDAY,
        "mid_autumn_festival",
        False,
        True,
    )
    with translation.override("en"):
        assert cal.day_info(D(2023, 9, 29)).holiday_label == "Mid-autumn Festival"
    with translation.override("zh-hans"):
        assert cal.day_info(D(2023, 9, 29)).holiday_label == "中秋节"
    assert info.warnings == []


def test_counting_starts_the_day_after_start(cal):
    assert cal.add_working_days(D(2023, 9, 28), 1).date == D(2023, 10, 7)
    assert cal.add_working_days(D(2023, 9, 28), 2).date == D(2023, 10, 8)
    assert cal.add_working_days(D(2023, 9, 28), 3).date == D(2023, 10, 9)
    # Ordinary weeks: Friday + 1 is Monday.
    assert cal.add_working_days(D(2023, 9, 22), 1).date == D(2023, 9, 25)


def test_zero_days_is_start_if_working_else_next_working_day(cal):
    assert cal.add_working_days(D(2023, 9, 28), 0).date == D(2023, 9, 28)
    assert cal.add_working_days(D(2023, 10, 1), 0).date == D(2023, 10, 7)
    assert cal.add_working_days(D(2023, 9, 23), 0).date == D(2023, 9, 25)


def test_negative_days_count_back(cal):
    assert cal.add_working_days(D(2023, 10, 9), -1).date == D(2023, 10, 8)
    assert cal.add_working_days(D(2023, 10, 7), -1).date == D(2023, 9, 28)
    assert cal.add_working_days(D(2023, 10, 4), -1).date == D(2023, 9, 28)
    assert cal.add_working_days(D(2023, 9, 25), -1).date == D(2023, 9, 22)


def test_between_is_the_inverse_of_add(cal):
    start = D(2023, 9, 20)
    for n in range(1, 30):
        end = cal.add_working_days(start, n).date
        assert cal.working_days_between(start, end).days == n
        assert cal.working_days_between(end, start).days == -n
    assert cal.working_days_between(start, start).days == 0
    assert cal.working_days_between(D(2023, 9, 28), D(2023, 10, 6)).days == 0


def test_next_working_day(cal):
    assert cal.next_working_day(D(2023, 9, 28)).date == D(2023, 10, 7)
    assert cal.next_working_day(D(2023, 10, 8)).date == D(2023, 10, 9)


def test_unpublished_and_unrecorded_years_are_provisional_and_named(cal):
    result = cal.add_working_days(D(2023, 12, 29), 2)
    assert result.date == D(2024, 1, 2)
    assert result.provisional and result.unpublished_years == (2024,)
    assert "2024" in result.warnings[0]
    assert cal.add_working_days(D(2030, 1, 1), 1).unpublished_years == (2030,)
    # Spanning several unpublished years names each of them once.
    assert cal.add_working_days(D(2024, 6, 3), 300).unpublished_years == (2024, 2025)
    assert cal.add_working_days(D(2024, 12, 31), 300).unpublished_years == (2025, 2026)


def test_published_range_is_not_provisional_even_if_start_year_is_not(cal):
    # Counting starts after 2022-12-31, so only 2023 days are looked at.
    result = cal.add_working_days(D(2022, 12, 31), 1)
    assert result.date == D(2023, 1, 2) and not result.provisional


def test_limits_name_the_field(cal):
    with pytest.raises(ValidationError) as exc:
        cal.add_working_days(D(2023, 1, 1), MAX_WORKING_DAYS + 1)
    assert "days" in exc.value.message_dict
    assert cal.add_working_days(D(2023, 1, 1), MAX_WORKING_DAYS).date > D(2026, 1, 1)
    with pytest.raises(ValidationError) as exc:
        cal.add_working_days(D(1900, 1, 1), 1)
    assert "start" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        cal.day_info(D(2500, 1, 1))
    assert "date" in exc.value.message_dict


def test_a_result_beyond_the_supported_years_is_refused(cal):
    with pytest.raises(ValidationError) as exc:
        cal.add_working_days(D(2199, 12, 30), 5)
    assert "days" in exc.value.message_dict
    with pytest.raises(ValidationError):
        cal.add_working_days(D(1990, 1, 2), -5)
    assert cal.add_working_days(D(2199, 12, 30), 1).date == D(2199, 12, 31)


def test_wrong_types_are_programming_errors(cal):
    with pytest.raises(TypeError):
        cal.add_working_days(dt.datetime(2023, 1, 1, 12, 0), 1)
    with pytest.raises(TypeError):
        cal.add_working_days(D(2023, 1, 1), 1.5)
    with pytest.raises(TypeError):
        cal.add_working_days(D(2023, 1, 1), True)


def test_deadline_is_end_of_due_day_in_shanghai(cal):
    start = dt.datetime(2023, 9, 28, 16, 0, tzinfo=CHINA_TZ)
    deadline = cal.deadline_at(start, 2)
    assert deadline.date == D(2023, 10, 8)
    assert deadline.at == dt.datetime(2023, 10, 8, 23, 59, 59, 999999, tzinfo=CHINA_TZ)
    assert deadline.at.utcoffset() == dt.timedelta(hours=8)
    assert deadline.on_working_day and not deadline.provisional


def test_deadline_uses_the_china_date_of_the_start_moment(cal):
    # 2023-09-27 17:00 UTC is already Thursday 2023-09-28 01:00 in Shanghai.
    start = dt.datetime(2023, 9, 27, 17, 0, tzinfo=dt.UTC)
    assert cal.deadline_at(start, 2).date == D(2023, 10, 8)
    new_york = dt.datetime(2023, 9, 27, 13, 0, tzinfo=ZoneInfo("America/New_York"))
    assert cal.deadline_at(new_york, 2).date == D(2023, 10, 8)


def test_naive_start_is_refused(cal):
    with pytest.raises(ValueError):
        cal.deadline_at(dt.datetime(2023, 9, 28, 16, 0), 2)


def test_calendar_deadline_is_not_moved_but_flags_a_day_off(cal):
    start = dt.datetime(2023, 9, 17, 10, 0, tzinfo=CHINA_TZ)
    two_weeks = cal.calendar_deadline_at(start, 14)
    assert two_weeks.date == D(2023, 10, 1)
    assert two_weeks.at == end_of_day(D(2023, 10, 1))
    assert not two_weeks.on_working_day and not two_weeks.provisional
    assert cal.calendar_deadline_at(start, 11).on_working_day  # 2023-09-28, a Thursday
    future = cal.calendar_deadline_at(dt.datetime(2024, 1, 1, tzinfo=CHINA_TZ), 14)
    assert future.provisional and future.unpublished_years == (2024,)
    with pytest.raises(ValidationError):
        cal.calendar_deadline_at(start, MAX_CALENDAR_DAYS + 1)


def test_year_records(cal):
    assert cal.is_year_published(2023) and not cal.is_year_published(2024)
    assert cal.year(2031) == YearSchedule(2031, published=False)
    assert [y.year for y in cal.years()] == [2023, 2024]
    assert [d for d, _ in cal.special_days(2023)][:2] == [D(2023, 9, 29), D(2023, 9, 30)]
