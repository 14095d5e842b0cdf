import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huifu.tradingdata import selectors
from huifu.tradingdata.calendar import TradingCalendar
from huifu.tradingdata.models import ExchangeClosure
from huifu.workdays import services as workdays
from huifu.workdays.engine import CHINA_TZ

D = dt.date


@pytest.fixture
def cal(trading_calendar_data) -> TradingCalendar:
    return selectors.trading_calendar()


def test_2024_has_242_trading_days(cal):
    assert cal.trading_day_count(D(2024, 1, 1), D(2024, 12, 31)) == 242
    # Without the closure it would be the 243 ordinary working weekdays.
    assert len(TradingCalendar(cal.working, []).trading_days_between(D(2024, 1, 1), D(2024, 12, 31))) == 243


def test_2023_has_242_trading_days(cal):
    assert cal.trading_day_count(D(2023, 1, 1), D(2023, 12, 31)) == 242


def test_makeup_working_day_never_trades(cal):
    # Sunday 2024-02-04 and 2023-10-07 (Sat) are make-up working days: working days, not trading days.
    for day in (D(2024, 2, 4), D(2023, 10, 7), D(2023, 10, 8)):
        assert workdays.is_working_day(day)
        assert not cal.is_trading_day(day)


def test_closure_is_a_working_day_but_not_a_trading_day(cal):
    assert workdays.is_working_day(D(2024, 2, 9))
    assert not cal.is_trading_day(D(2024, 2, 9))
    assert cal.is_trading_day(D(2024, 2, 8))


def test_holidays_and_weekends_do_not_trade(cal):
    assert not cal.is_trading_day(D(2023, 10, 2))
    assert not cal.is_trading_day(D(2024, 3, 9))


def test_trading_days_between_is_inclusive(cal):
    days = cal.trading_days_between(D(2024, 3, 4), D(2024, 3, 8))
    assert days == [D(2024, 3, d) for d in range(4, 9)]
    assert cal.trading_days_between(D(2024, 3, 8), D(2024, 3, 4)) == []


def test_next_trading_day_skips_holiday_closure_and_makeup_days(cal):
    assert cal.next_trading_day(D(2024, 2, 8)) == D(2024, 2, 19)  # 9 closed, 10–17 holiday, 18 make-up
    assert cal.next_trading_day(D(2023, 9, 28)) == D(2023, 10, 9)  # 10-07/08 make-up days skipped
    assert selectors.next_trading_day(D(2024, 3, 8)) == D(2024, 3, 11)


def test_night_sessions(cal):
    assert cal.has_night_session(D(2024, 3, 8))  # ordinary Friday: night session for Monday
    assert not cal.has_night_session(D(2024, 2, 8))  # last trading day before Spring Festival
    assert not cal.has_night_session(D(2023, 9, 28))  # before National Day
    assert not cal.has_night_session(D(2024, 3, 9))  # Saturday: no session at all


def test_a_night_session_belongs_to_the_next_trading_day(cal):
    friday_night = dt.datetime(2024, 3, 8, 22, 30, tzinfo=CHINA_TZ)
    saturday_small_hours = dt.datetime(2024, 3, 9, 1, 0, tzinfo=CHINA_TZ)
    assert cal.session_trading_day(friday_night) == D(2024, 3, 11)
    assert cal.session_trading_day(saturday_small_hours) == D(2024, 3, 11)
    assert cal.session_trading_day(dt.datetime(2024, 3, 8, 10, 0, tzinfo=CHINA_TZ)) == D(2024, 3, 8)
    assert cal.session_trading_day(dt.datetime(2024, 2, 8, 21, 30, tzinfo=CHINA_TZ)) is None
    assert cal.session_trading_day(dt.datetime(2024, 3, 8, 17, 0, tzinfo=CHINA_TZ)) is None
    with pytest.raises(ValueError):
        cal.session_trading_day(dt.datetime(2024, 3, 8, 10, 0))


def test_closures_are_data(trading_calendar_data):
    day = D(2024, 3, 12)
    assert selectors.is_trading_day(day)
    ExchangeClosure.objects.create(day=day, reason="test")
    assert not selectors.is_trading_day(day)
    assert len(selectors.trading_days_between(D(2024, 1, 1), D(2024, 12, 31))) == 241


def test_too_long_period_is_refused(cal):
    with pytest.raises(ValidationError):
        cal.trading_days_between(D(2000, 1, 1), D(2020, 1, 1))
