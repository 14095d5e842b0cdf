"""What the importers share: the error record, the rejection exception and lookups."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from huifu.directory.models import Organisation

# Errors kept on the batch (the count goes on): enough to fix a file, small enough to store.
MAX_STORED_ERRORS = 500
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class RowError:
    line: int  # 1-based line of the file (CSV/.xlsx row; ranking file: row of o_cursor)
    field: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class ErrorList:
    items: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, field_name: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_STORED_ERRORS:
            self.items.append(RowError(line, field_name, message))

    def __bool__(self) -> bool:
        return self.count > 0

    def as_json(self) -> list[dict[str, Any]]:
        return [e.as_json() for e in self.items]


class ImportRejected(Exception):
    """The file has bad rows; nothing was imported."""

    def __init__(self, errors: ErrorList, rows_read: int = 0) -> None:
        super().__init__(f"{errors.count} error(s)")
        self.errors = errors
        self.rows_read = rows_read


def member_lookup() -> dict[str, int]:
    """member_number -> organisation id, for every organisation that has a member number."""
    return dict(Organisation.objects.exclude(member_number__isnull=True).values_list("member_number", "id"))


def find_member(numbers: dict[str, int], raw: str) -> int | None:
    """The organisation for a member number as written; Excel drops leading zeros, so an
    all-digit number shorter than four digits is also tried zero-padded to four (``101`` → ``0101``)."""
    found = numbers.get(raw)
    if found is None and raw.isdigit() and len(raw) < 4:
        found = numbers.get(raw.zfill(4))
    return found


def not_trading_message(calendar: Any, day: datetime.date) -> str:
    """Why ``day`` has no trading, in words a data clerk learns from."""
    from huifu.workdays.engine import DayType

    kind = calendar.working.day_type(day)
    if kind == DayType.MAKEUP_WORKDAY:
        return _("%(day)s is a make-up working day: the exchange does not trade.") % {"day": day}
    if calendar.is_closure(day):
        return _("%(day)s is an exchange closure day: the exchange does not trade.") % {"day": day}
    if kind == DayType.HOLIDAY:
        return _("%(day)s is a public holiday: the exchange does not trade.") % {"day": day}
    if kind == DayType.WEEKEND:
        return _("%(day)s is a weekend day: the exchange does not trade.") % {"day": day}
    return _("%(value)s is not a trading day.") % {"value": day}


class DateChecker:
    """Parses ``YYYY-MM-DD`` and checks it is a trading day; caches per distinct string."""

    def __init__(self, calendar: Any) -> None:
        self.calendar = calendar
        self._cache: dict[str, tuple[datetime.date | None, str]] = {}

    def check(self, raw: str) -> tuple[datetime.date | None, str]:
        """(date, "") when good, (None, message) when not."""
        cached = self._cache.get(raw)
        if cached is not None:
            return cached
        result: tuple[datetime.date | None, str]
        if not DATE_RE.match(raw):
            result = (None, _("“%(value)s” is not a date written YYYY-MM-DD.") % {"value": raw[:40]})
        else:
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError:
                result = (None, _("“%(value)s” is not a real date.") % {"value": raw})
            else:
                if not 1990 <= day.year <= 2199:
                    result = (None, _("%(value)s is outside the calendar's years.") % {"value": raw})
                elif not self.calendar.is_trading_day(day):
                    result = (None, not_trading_message(self.calendar, day))
                else:
                    result = (day, "")
        if len(self._cache) < 20000:
            self._cache[raw] = result
        return result
