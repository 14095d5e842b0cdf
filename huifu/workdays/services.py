"""The working-day calendar's public API: questions every deadline in Huifu asks, and the staff
operations that maintain the calendar.

Questions (no writes; each reads the calendar through ``selectors.calendar_snapshot``)::

    is_working_day(day) -> bool
    day_info(day) -> DayInfo
    add_working_days(start, n) -> WorkdayResult            .date .provisional .warnings
    next_working_day(day) -> WorkdayResult
    working_days_between(start, end) -> WorkdayCount        .days .provisional .warnings
    deadline_at(start_datetime, working_days) -> Deadline   .at .date .provisional .warnings
    calendar_deadline_at(start_datetime, days) -> Deadline  .on_working_day too

Every answer that touched a year without a published schedule is *provisional*: it was worked
out with Monday–Friday arithmetic, and ``warnings`` names the year. Show the warning wherever
the date is shown; never drop it.

Computing many deadlines at once (a list page)? Take ``calendar = calendar_snapshot()`` once and
call the same-named methods on it: one query for the whole page.

Invalid input raises ``django.core.exceptions.ValidationError`` keyed by the argument's name
(``start``, ``days``, ``date``...); a ``datetime`` where a ``date`` is expected, or a naive
datetime, is a programming error (TypeError / ValueError).

Staff operations (keyword-only, ``actor`` first-class, one transaction and one audit entry each)::

    special_day_set(*, day, kind, holiday, note="", actor) -> SpecialDay
    special_day_remove(*, day, actor) -> None
    calendar_year_publish(*, year, source, notes=None, actor) -> CalendarYear
    calendar_year_unpublish(*, year, notes=None, actor) -> CalendarYear
    calendar_year_import(*, year, actor) -> CalendarYear     (from the chinesecalendar package)
    calendar_seed_years(*, years, actor, force=False)        (demo, management command)

The trading calendar (trading days, night sessions) is a different calendar and does not
belong here: make-up working days are never trading days.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot

from .engine import (
    MAX_CALENDAR_DAYS,
    MAX_WORKING_DAYS,
    DayInfo,
    DayType,
    Deadline,
    WorkdayCount,
    WorkdayResult,
    check_day,
    field_error,
)
from .models import MAX_YEAR, MIN_YEAR, CalendarYear, HolidayName, ScheduleStatus, SpecialDay, SpecialDayKind
from .selectors import calendar_snapshot
from .sources import package_schedule, package_source

__all__ = [
    "MAX_CALENDAR_DAYS",
    "MAX_WORKING_DAYS",
    "DayInfo",
    "DayType",
    "Deadline",
    "WorkdayCount",
    "WorkdayResult",
    "add_working_days",
    "calendar_deadline_at",
    "calendar_seed_years",
    "calendar_year_import",
    "calendar_year_publish",
    "calendar_year_unpublish",
    "day_info",
    "deadline_at",
    "is_working_day",
    "next_working_day",
    "special_day_remove",
    "special_day_set",
    "working_days_between",
]

DEFAULT_SEED_YEARS = (2023, 2024, 2025, 2026)


# --- questions -------------------------------------------------------------------------------


def is_working_day(day: datetime.date) -> bool:
    """True on Monday–Friday unless a public holiday, and on a make-up working day (调休上班日).

    For a year without a published schedule this is the Monday–Friday guess; use ``day_info``
    when you need to know that (``DayInfo.year_published``).
    """
    return day_info(day).is_working_day


def day_info(day: datetime.date) -> DayInfo:
    """What ``day`` is: ``kind`` (workday, weekend, holiday, makeup_workday), ``is_working_day``,
    the holiday it belongs to (``holiday`` code and ``holiday_label`` such as 春节), and
    ``year_published`` (False means the answer is the Monday–Friday guess, see ``warnings``)."""
    return calendar_snapshot().day_info(day)


def add_working_days(start: datetime.date, n: int) -> WorkdayResult:
    """The ``n``-th working day after ``start``; counting starts the day *after* ``start``.

    * ``n > 0``: a letter received on Thursday 2023-09-28, "reply within 2 working days":
      09-29 … 10-06 are the Mid-autumn/National Day holidays, 10-07 (Sat) and 10-08 (Sun) are
      make-up working days, so the answer is 2023-10-08. ``start`` itself never counts, even
      when it is a working day.
    * ``n == 0``: ``start`` if it is a working day, otherwise the next working day ("due today,
      or the first working day after a holiday").
    * ``n < 0``: the ``|n|``-th working day before ``start`` ("remind 1 working day before").

    ``|n|`` is at most ``MAX_WORKING_DAYS``. The result's ``provisional`` is True and
    ``warnings`` names the year when any day counted lies in a year without a published schedule.
    """
    return calendar_snapshot().add_working_days(start, n)


def next_working_day(day: datetime.date) -> WorkdayResult:
    """The first working day strictly after ``day`` (``add_working_days(day, 1)``)."""
    return calendar_snapshot().next_working_day(day)


def working_days_between(start: datetime.date, end: datetime.date) -> WorkdayCount:
    """How many working days lie after ``start`` up to and including ``end``.

    The inverse of ``add_working_days``: ``working_days_between(s, add_working_days(s, n).date).days == n``
    for n >= 1. Negative when ``end`` is before ``start``; 0 when equal. Provisional like
    ``add_working_days`` when a year in between has no published schedule.
    """
    return calendar_snapshot().working_days_between(start, end)


def deadline_at(start: datetime.datetime, working_days: int) -> Deadline:
    """The end of the ``working_days``-th working day after ``start``'s date in Asia/Shanghai.

    ``start`` must be timezone-aware; the due moment is 23:59:59.999999 Asia/Shanghai of the
    due date (``Deadline.at``, aware). Something received on 2023-09-28 at 16:00 with "reply
    within 2 working days" is due 2023-10-08 23:59:59.999999+08:00. The counting rules are
    those of ``add_working_days``.
    """
    return calendar_snapshot().deadline_at(start, working_days)


def calendar_deadline_at(start: datetime.datetime, days: int) -> Deadline:
    """The end of the day ``days`` calendar days after ``start``'s date ("within 2 weeks" is 14).

    The due date is *not* moved off weekends or holidays; ``Deadline.on_working_day`` says
    whether it falls on a working day so the caller can show it (``provisional`` when that
    day's year has no published schedule). ``|days|`` is at most ``MAX_CALENDAR_DAYS``.
    """
    return calendar_snapshot().calendar_deadline_at(start, days)


# --- staff operations ------------------------------------------------------------------------


def _check_year(year: int, field: str = "year") -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise field_error(
            field,
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            "out_of_range",
        )


def _lock_year(year: int) -> CalendarYear:
    """The year's record, created (not published) if missing, locked, with a fresh revision.

    Every edit goes through here first, so the year row is always locked before a day row
    (one lock order) and every cached snapshot of the old calendar stops matching.
    """
    record, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    record.revision = uuid.uuid4()
    record.save(update_fields=["revision", "updated_at"])
    return record


def _day_label(day: datetime.date) -> str:
    return day.isoformat()


def special_day_set(*, day: datetime.date, kind: str, holiday: str, note: str = "", actor: Any) -> SpecialDay:
    """Mark ``day`` as a public holiday or a make-up working day, or change its holiday and note.

    Refused with a ValidationError naming the field: a make-up working day on Monday–Friday;
    an unknown kind or holiday; ``HolidayName.OTHER`` without a note; a date that already has
    the *other* kind (a holiday on a make-up working day or the reverse: remove it first).
    Creates the year's record (not published) if the year has none. Takes effect for every
    caller at once.
    """
    check_day(day, "day")
    note = (note or "").strip()
    errors: dict[str, ValidationError] = {}
    if kind not in SpecialDayKind.values:
        errors["kind"] = ValidationError(_("Choose a public holiday or a make-up working day."), code="invalid")
    if holiday not in HolidayName.values:
        errors["holiday"] = ValidationError(_("Choose the holiday this day belongs to."), code="invalid")
    elif holiday == HolidayName.OTHER and not note:
        errors["note"] = ValidationError(
            _("Name the holiday in the note when it is not one of the statutory holidays."), code="required"
        )
    if kind == SpecialDayKind.MAKEUP_WORKDAY and day.isoweekday() <= 5:
        errors["day"] = ValidationError(
            _("%(date)s is a weekday: a make-up working day must be a Saturday or Sunday.") % {"date": _day_label(day)},
            code="makeup_not_weekend",
        )
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        year = _lock_year(day.year)
        existing = SpecialDay.objects.select_for_update().filter(day=day).first()
        if existing is not None and existing.kind != kind:
            if existing.kind == SpecialDayKind.MAKEUP_WORKDAY:
                message = _(
                    "%(date)s is already a make-up working day (%(holiday)s). Remove it before marking "
                    "the date as a public holiday."
                )
            else:
                message = _(
                    "%(date)s is already a public holiday (%(holiday)s). Remove it before marking the "
                    "date as a make-up working day."
                )
            raise field_error(
                "kind", message % {"date": _day_label(day), "holiday": existing.holiday_label}, "conflict"
            )
        if existing is None:
            special = SpecialDay.objects.create(day=day, kind=kind, holiday=holiday, note=note)
            audit_create(actor=actor, target=special, message=f"calendar year {year.year}")
            return special
        before = snapshot(existing, ["kind", "holiday", "note"])
        existing.holiday = holiday
        existing.note = note
        existing.save(update_fields=["holiday", "note", "updated_at"])
        audit_update(actor=actor, target=existing, before=before)
        return existing


def special_day_remove(*, day: datetime.date, actor: Any) -> None:
    """Make ``day`` an ordinary weekday or weekend again. ValidationError if it is not special."""
    check_day(day, "day")
    with transaction.atomic():
        _lock_year(day.year)
        special = SpecialDay.objects.select_for_update().filter(day=day).first()
        if special is None:
            raise field_error("day", _("%(date)s is not a special day.") % {"date": _day_label(day)}, "not_found")
        audit_record(actor=actor, action=AuditAction.DELETE, target=special, changes=snapshot(special))
        special.delete()


def calendar_year_publish(*, year: int, source: str, notes: str | None = None, actor: Any) -> CalendarYear:
    """Declare ``year``'s official schedule complete: results in it stop being provisional.

    ``source`` (required) says where the days come from, e.g. the State Council notice number
    “国办发明电〔2025〕7号”. ``notes`` replaces the year's notes when given.
    """
    _check_year(year)
    source = (source or "").strip()
    if not source:
        raise field_error(
            "source", _("Say where the schedule comes from, e.g. the State Council notice number."), "required"
        )
    if len(source) > 200:
        raise field_error("source", _("At most 200 characters."), "max_length")
    with transaction.atomic():
        record = _lock_year(year)
        before = snapshot(record, ["status", "source", "notes"])
        record.status = ScheduleStatus.PUBLISHED
        record.source = source
        if notes is not None:
            record.notes = notes.strip()
        record.save(update_fields=["status", "source", "notes", "updated_at"])
        audit_update(actor=actor, target=record, before=before, message="publish")
        return record


def calendar_year_unpublish(*, year: int, notes: str | None = None, actor: Any) -> CalendarYear:
    """Mark ``year`` as not published again (its days stay): results in it become provisional."""
    _check_year(year)
    with transaction.atomic():
        record = _lock_year(year)
        before = snapshot(record, ["status", "notes"])
        record.status = ScheduleStatus.NOT_PUBLISHED
        if notes is not None:
            record.notes = notes.strip()
        record.save(update_fields=["status", "notes", "updated_at"])
        audit_update(actor=actor, target=record, before=before, message="unpublish")
        return record


def calendar_year_import(*, year: int, actor: Any) -> CalendarYear:
    """Replace ``year``'s special days with the installed chinesecalendar package's and publish it.

    Refused (ValidationError on ``year``) when the package has no schedule for the year. Days
    entered by hand for that year are replaced; the audit entry records how many.
    """
    _check_year(year)
    days = package_schedule(year)
    source = package_source()
    if not days:
        raise field_error(
            "year",
            _(
                "%(source)s has no schedule for %(year)s. Update the package once it includes the State "
                "Council notice, or enter the days by hand and publish the year."
            )
            % {"source": source, "year": year},
            "no_package_data",
        )
    bad = [d.day.isoformat() for d in days if d.kind == SpecialDayKind.MAKEUP_WORKDAY and d.day.isoweekday() <= 5]
    if bad:
        raise field_error(
            "year",
            _("The package lists make-up working days on weekdays: %(dates)s.") % {"dates": ", ".join(bad)},
            "bad_package_data",
        )
    with transaction.atomic():
        record = _lock_year(year)
        removed, _detail = SpecialDay.objects.filter(day__year=year).delete()
        SpecialDay.objects.bulk_create(SpecialDay(day=d.day, kind=d.kind, holiday=d.holiday, note=d.note) for d in days)
        before_status = record.status
        record.status = ScheduleStatus.PUBLISHED
        record.source = source
        record.save(update_fields=["status", "source", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            target=record,
            changes={
                "status": [before_status, record.status],
                "source": source,
                "special_days": len(days),
                "replaced": removed,
            },
        )
        return record


def calendar_seed_years(
    *, years: Iterable[int] = DEFAULT_SEED_YEARS, actor: Any = None, force: bool = False
) -> list[tuple[int, str]]:
    """Import each year from the package unless it is already published (or ``force``).

    Idempotent; used by ``seed_demo`` and ``manage.py workdays_seed``. Returns (year, outcome)
    with outcome "imported", "kept" (already published, left alone) or the error message.
    """
    published = set(CalendarYear.objects.filter(status=ScheduleStatus.PUBLISHED).values_list("year", flat=True))
    outcomes: list[tuple[int, str]] = []
    for year in years:
        if year in published and not force:
            outcomes.append((year, "kept"))
            continue
        try:
            calendar_year_import(year=year, actor=actor)
        except ValidationError as exc:
            outcomes.append((year, "; ".join(exc.messages)))
        else:
            outcomes.append((year, "imported"))
    return outcomes
