"""The year page's month grids and holiday summary (pure functions over a snapshot)."""

import datetime as dt

import pytest
from django.utils import translation

from huifu.workdays.engine import DayType
from huifu.workdays.grid import holiday_periods, year_grid
from huifu.workdays.selectors import calendar_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]
D = dt.date


def test_twelve_months_of_monday_first_weeks():
    months = year_grid(calendar_snapshot(), 2023, today=D(2023, 10, 8))
    assert [m.number for m in months] == list(range(1, 13))
    october = months[9]
    assert all(len(week) == 7 for week in october.weeks)
    # 2023-10-01 is a Sunday: the first row is six empty cells then the 1st.
    assert october.weeks[0][:6] == [None] * 6 and october.weeks[0][6].day == D(2023, 10, 1)
    cells = {c.day: c for week in october.weeks for c in week if c}
    assert len(cells) == 31
    assert cells[D(2023, 10, 8)].kind is DayType.MAKEUP_WORKDAY
    assert cells[D(2023, 10, 8)].css == "wd-makeup_workday wd-today"
    assert cells[D(2023, 10, 2)].css == "wd-holiday"


def test_holiday_periods_group_days_off_and_makeup_days():
    with translation.override("zh-hans"):
        periods = {p.holiday_label: p for p in holiday_periods(calendar_snapshot(), 2023)}
    spring = periods["春节"]
    assert spring.days_off == [(D(2023, 1, 21), D(2023, 1, 27))]
    assert spring.days_off_count == 7
    assert spring.makeup_days == [D(2023, 1, 28), D(2023, 1, 29)]
    national = periods["国庆节"]
    assert national.days_off == [(D(2023, 9, 30), D(2023, 10, 6))]
    assert national.makeup_days == [D(2023, 10, 7), D(2023, 10, 8)]
    # New Year 2023 (01-01, 01-02) and the 2024 New Year break that starts in December 2023.
    assert periods["元旦"].days_off == [(D(2023, 1, 1), D(2023, 1, 2)), (D(2023, 12, 30), D(2023, 12, 31))]
    assert list(periods)[0] == "元旦"


def test_no_periods_for_an_empty_year():
    assert holiday_periods(calendar_snapshot(), 2030) == []
