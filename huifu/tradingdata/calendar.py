"""The exchange's trading calendar (交易日历), derived from the working-day calendar.

A **trading day** is an ordinary Monday–Friday working day that is not an exchange closure:

* public holidays are not trading days (they are not working days);
* weekend make-up working days (调休上班日) are working days but **never** trading days;
* the exchange may close on extra days that are working days for everyone else; those are data
  (``ExchangeClosure``, edited by staff, e.g. 2024-02-09: 2024 had 242 trading days).

**Night sessions** (夜盘, 21:00 to at latest 02:30): a trading day has a night session unless
the days between it and the next trading day include anything but an ordinary weekend (a
statutory holiday or a closure): "no night session on the last working day before a statutory
holiday". A night session belongs to the **next** trading day: Friday night's trades are
Monday's. ``session_trading_day`` maps a trade time to its trading day.

Deadlines never use this calendar (they use ``huifu.workdays``); statistics and daily averages do.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from huifu.workdays.engine import CHINA_TZ, DayType, WorkingDayCalendar, check_day, field_error

ONE_DAY = datetime.timedelta(days=1)
# Longest stretch without trading we search through (the longest holiday plus weekends is ~10 days).
MAX_GAP_DAYS = 40
MAX_SPAN_DAYS = 3700  # about ten years in one question
NIGHT_SESSION_START = datetime.time(21, 0)
NIGHT_SESSION_END = datetime.time(2, 30)
DAY_SESSION_START = datetime.time(9, 0)
DAY_SESSION_END = datetime.time(15, 0)


class TradingCalendar:
    """An immutable snapshot: the working-day calendar plus the set of exchange closures."""

    def __init__(self, working: WorkingDayCalendar, closures: Iterable[datetime.date]) -> None:
        self.working = working
        self.closures = frozenset(closures)

    # --- single days -------------------------------------------------------------------------
    def is_trading_day(self, day: datetime.date) -> bool:
        """A plain Monday–Friday working day (not a make-up working day) that is not a closure."""
        return self.working.day_type(day) == DayType.WORKDAY and day not in self.closures

    def is_closure(self, day: datetime.date) -> bool:
        return day in self.closures

    def next_trading_day(self, day: datetime.date) -> datetime.date:
        """The first trading day strictly after ``day``."""
        check_day(day, "date")
        nxt = day + ONE_DAY
        for _step in range(MAX_GAP_DAYS):
            if self.is_trading_day(nxt):
                return nxt
            nxt += ONE_DAY
        raise field_error("date", _("No trading day within 40 days."), "no_trading_day")

    def previous_trading_day(self, day: datetime.date) -> datetime.date:
        """The last trading day strictly before ``day``."""
        check_day(day, "date")
        prev = day - ONE_DAY
        for _step in range(MAX_GAP_DAYS):
            if self.is_trading_day(prev):
                return prev
            prev -= ONE_DAY
        raise field_error("date", _("No trading day within 40 days."), "no_trading_day")

    def has_night_session(self, day: datetime.date) -> bool:
        """Whether the evening of trading day ``day`` has a night session (for the next trading day)."""
        if not self.is_trading_day(day):
            return False
        nxt = self.next_trading_day(day)
        gap = day + ONE_DAY
        while gap < nxt:
            if self.working.day_type(gap) != DayType.WEEKEND:  # a holiday, closure or make-up day in between
                return False
            gap += ONE_DAY
        return True

    def session_trading_day(self, moment: datetime.datetime) -> datetime.date | None:
        """The trading day a trade at ``moment`` (aware) counts for, or None outside any session.

        Day session (09:00–15:00) on a trading day: that day. Night session (21:00–02:30 of the
        following calendar day) after a trading day with a night session: the next trading day.
        """
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a timezone-aware datetime is required")
        local = moment.astimezone(CHINA_TZ)
        day, time = local.date(), local.time()
        if DAY_SESSION_START <= time <= DAY_SESSION_END:
            return day if self.is_trading_day(day) else None
        if time >= NIGHT_SESSION_START:
            return self.next_trading_day(day) if self.has_night_session(day) else None
        if time <= NIGHT_SESSION_END:
            evening = day - ONE_DAY
            return self.next_trading_day(evening) if self.has_night_session(evening) else None
        return None

    # --- ranges ------------------------------------------------------------------------------
    def trading_days_between(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """The trading days from ``start`` to ``end``, **both included** (a period, not a deadline).

        Unlike ``workdays.working_days_between`` (which excludes ``start``), statistics periods
        are closed intervals: the 2024 calendar year is ``trading_days_between(2024-01-01, 2024-12-31)``.
        Empty when ``end`` is before ``start``.
        """
        check_day(start, "start")
        check_day(end, "end")
        if (end - start).days > MAX_SPAN_DAYS:
            raise field_error("end", _("The period is too long (at most about ten years)."), "too_long")
        days = []
        day = start
        while day <= end:
            if self.is_trading_day(day):
                days.append(day)
            day += ONE_DAY
        return days

    def trading_day_count(self, start: datetime.date, end: datetime.date) -> int:
        return len(self.trading_days_between(start, end))

    def provisional_years(self, start: datetime.date, end: datetime.date) -> list[int]:
        """Years in ``start``..``end`` whose working-day schedule is not published (counts are estimates)."""
        return [y for y in range(start.year, end.year + 1) if not self.working.is_year_published(y)]
