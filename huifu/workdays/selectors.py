"""Reading the working-day calendar.

``calendar_snapshot()`` is the one way the rest of Huifu reads it: an immutable
``WorkingDayCalendar`` of every year record and special day. It costs one small query (the
year records, whose ``revision`` tokens change on every edit) when the process already holds
the current snapshot, and one more to load the special days when it does not. Because the key
is read from the database in the caller's own transaction, a snapshot is never stale: not
after a staff edit in another process, not after a rolled-back edit in a test.

The calendar is the same for everybody; the page and API permission is ``workdays.view_calendar``.
"""

from __future__ import annotations

import threading
from typing import Any

from .engine import SpecialEntry, WorkingDayCalendar, YearSchedule
from .models import CalendarYear, ScheduleStatus, SpecialDay

_lock = threading.Lock()
_cached: tuple[tuple[tuple[int, str], ...], WorkingDayCalendar] | None = None


def calendar_snapshot() -> WorkingDayCalendar:
    """The current calendar (see the module docstring for cost and freshness)."""
    global _cached
    # The key must be read before the days: a snapshot loaded after an edit commits is then
    # stored under the old key at worst, which is never looked up again.
    rows = list(
        CalendarYear.objects.order_by("year").values_list("year", "revision", "status", "source", "notes", "updated_at")
    )
    key = tuple((year, str(revision)) for year, revision, *_ in rows)
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    special = {
        day: SpecialEntry(kind=kind, holiday=holiday, note=note)
        for day, kind, holiday, note in SpecialDay.objects.values_list("day", "kind", "holiday", "note")
    }
    years = [
        YearSchedule(
            year=year,
            published=status == ScheduleStatus.PUBLISHED,
            status=status,
            source=source,
            notes=notes,
            updated_at=updated_at,
        )
        for year, _revision, status, source, notes, updated_at in rows
    ]
    snapshot = WorkingDayCalendar(special, years)
    with _lock:
        _cached = (key, snapshot)
    return snapshot


def calendar_cache_clear() -> None:
    """Forget the process's snapshot (tests use it to make query counts deterministic)."""
    global _cached
    with _lock:
        _cached = None


def calendar_years_for(user: Any):  # noqa: ANN201 - a QuerySet[CalendarYear]
    """The year records ``user`` may read (all of them for anyone allowed to view the calendar)."""
    if not user.has_perm("workdays.view_calendar"):
        return CalendarYear.objects.none()
    return CalendarYear.objects.order_by("-year")


def special_day_for_edit(*, user: Any, day: Any) -> SpecialDay | None:
    """The stored special day on ``day`` for an editor, None if the date has none."""
    if not user.has_perm("workdays.change_calendar"):
        return None
    return SpecialDay.objects.filter(day=day).first()
