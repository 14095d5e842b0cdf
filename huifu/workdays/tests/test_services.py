"""The public calendar API on the seeded official data, and the staff operations."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from huifu.audit.models import AuditAction, AuditEvent
from huifu.workdays import services
from huifu.workdays.engine import CHINA_TZ, DayType
from huifu.workdays.models import CalendarYear, HolidayName, ScheduleStatus, SpecialDay, SpecialDayKind
from huifu.workdays.selectors import calendar_cache_clear, calendar_snapshot
from huifu.workdays.sources import package_schedule, package_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]
D = dt.date


def _span(first, last):
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# Verified against chinesecalendar 1.11.0 and the State Council notices: (days off, make-up working days).
OFFICIAL_BREAKS = {
    "spring_festival_2023": (_span(D(2023, 1, 21), D(2023, 1, 27)), [D(2023, 1, 28), D(2023, 1, 29)]),
    "spring_festival_2024": (_span(D(2024, 2, 10), D(2024, 2, 17)), [D(2024, 2, 4), D(2024, 2, 18)]),
    "spring_festival_2025": (_span(D(2025, 1, 28), D(2025, 2, 4)), [D(2025, 1, 26), D(2025, 2, 8)]),
    "spring_festival_2026": (_span(D(2026, 2, 15), D(2026, 2, 23)), [D(2026, 2, 14), D(2026, 2, 28)]),
    "national_day_2023": (_span(D(2023, 9, 29), D(2023, 10, 6)), [D(2023, 10, 7), D(2023, 10, 8)]),
    "national_day_2024": (_span(D(2024, 10, 1), D(2024, 10, 7)), [D(2024, 9, 29), D(2024, 10, 12)]),
    "national_day_2025": (_span(D(2025, 10, 1), D(2025, 10, 8)), [D(2025, 9, 28), D(2025, 10, 11)]),
}


# --- the seeded calendar -----------------------------------------------------------------------


def test_2023_to_2026_are_seeded_and_published_from_the_package():
    years = {y.year: y for y in CalendarYear.objects.all()}
    assert set(years) >= {2023, 2024, 2025, 2026}
    for year in (2023, 2024, 2025, 2026):
        assert years[year].status == ScheduleStatus.PUBLISHED
        assert years[year].source == package_source()
        stored = list(SpecialDay.objects.filter(day__year=year).values_list("day", "kind", "holiday", "note"))
        assert stored == [(d.day, d.kind, d.holiday, d.note) for d in package_schedule(year)]


@pytest.mark.parametrize("name", OFFICIAL_BREAKS)
def test_official_holiday_breaks_and_their_makeup_days(name):
    days_off, makeup_days = OFFICIAL_BREAKS[name]
    holiday = HolidayName.SPRING_FESTIVAL if name.startswith("spring") else None
    for day in days_off:
        info = services.day_info(day)
        assert info.kind is DayType.HOLIDAY, day
        assert not info.is_working_day and not services.is_working_day(day)
        assert info.year_published and not info.warnings
        if holiday:
            assert info.holiday == holiday
    for day in makeup_days:
        assert day.isoweekday() >= 6, day
        info = services.day_info(day)
        assert info.kind is DayType.MAKEUP_WORKDAY, day
        assert info.is_working_day and services.is_working_day(day)
    # The days just around the break are ordinary.
    before, after = days_off[0] - dt.timedelta(days=1), days_off[-1] + dt.timedelta(days=1)
    assert services.day_info(before).kind in (DayType.WORKDAY, DayType.WEEKEND, DayType.MAKEUP_WORKDAY)
    assert services.day_info(after).kind in (DayType.WORKDAY, DayType.WEEKEND, DayType.MAKEUP_WORKDAY)


def test_national_day_2025_includes_mid_autumn():
    assert services.day_info(D(2025, 10, 6)).holiday == HolidayName.MID_AUTUMN_FESTIVAL
    assert services.day_info(D(2025, 10, 3)).holiday == HolidayName.NATIONAL_DAY


def test_ordinary_days_are_derived_from_the_weekday():
    assert services.day_info(D(2023, 3, 15)).kind is DayType.WORKDAY
    assert services.day_info(D(2023, 3, 18)).kind is DayType.WEEKEND
    assert not services.is_working_day(D(2023, 3, 19))


# --- add N working days --------------------------------------------------------------------------


def test_letter_of_2023_09_28_plus_two_working_days_is_due_on_sunday_2023_10_08():
    result = services.add_working_days(D(2023, 9, 28), 2)
    assert result.date == D(2023, 10, 8)
    assert result.date.isoweekday() == 7
    assert not result.provisional and result.warnings == []


def test_deadline_at_for_the_same_letter():
    deadline = services.deadline_at(dt.datetime(2023, 9, 28, 16, 30, tzinfo=CHINA_TZ), 2)
    assert deadline.at == dt.datetime(2023, 10, 8, 23, 59, 59, 999999, tzinfo=CHINA_TZ)
    assert not deadline.provisional


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 2, 8), 1, D(2024, 2, 9)),  # Thursday -> Friday before Spring Festival
        (D(2024, 2, 9), 1, D(2024, 2, 18)),  # -> Sunday make-up day after the break
        (D(2024, 2, 9), 2, D(2024, 2, 19)),
        (D(2025, 1, 24), 1, D(2025, 1, 26)),  # Friday -> Sunday make-up day
        (D(2025, 1, 26), 1, D(2025, 1, 27)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2023, 10, 9), -1, D(2023, 10, 8)),  # one working day before
        (D(2023, 10, 7), -1, D(2023, 9, 28)),
        (D(2023, 10, 1), 0, D(2023, 10, 7)),  # zero: the next working day when start is off
        (D(2023, 9, 28), 0, D(2023, 9, 28)),
    ],
)
def test_add_working_days_across_official_breaks(start, n, expected):
    assert services.add_working_days(start, n).date == expected


def test_next_working_day_and_between():
    assert services.next_working_day(D(2023, 9, 28)).date == D(2023, 10, 7)
    assert services.working_days_between(D(2023, 9, 28), D(2023, 10, 9)).days == 3
    assert services.working_days_between(D(2023, 10, 9), D(2023, 9, 28)).days == -3
    # A whole year: the count must match the package's own day-by-day answer.
    import chinese_calendar

    expected = sum(chinese_calendar.is_workday(d) for d in _span(D(2024, 1, 1), D(2024, 12, 31)))
    assert services.working_days_between(D(2023, 12, 31), D(2024, 12, 31)).days == expected


def test_arithmetic_agrees_with_the_package_day_by_day():
    import chinese_calendar

    for day in _span(D(2023, 1, 1), D(2026, 12, 31)):
        assert services.is_working_day(day) == chinese_calendar.is_workday(day), day


def test_calendar_days_deadline_flags_a_day_off():
    deadline = services.calendar_deadline_at(dt.datetime(2023, 9, 17, 9, 0, tzinfo=CHINA_TZ), 14)
    assert deadline.date == D(2023, 10, 1) and not deadline.on_working_day
    assert deadline.at == dt.datetime(2023, 10, 1, 23, 59, 59, 999999, tzinfo=CHINA_TZ)


# --- years without a schedule ---------------------------------------------------------------------


def test_year_without_schedule_is_provisional_with_a_warning_naming_it():
    result = services.add_working_days(D(2030, 9, 30), 2)
    assert result.date == D(2030, 10, 2)  # plain weekday arithmetic: no National Day known for 2030
    assert result.provisional
    assert result.unpublished_years == (2030,)
    assert len(result.warnings) == 1 and "2030" in result.warnings[0]
    info = services.day_info(D(2030, 10, 1))
    assert info.is_working_day and not info.year_published and "2030" in info.warnings[0]
    assert services.deadline_at(dt.datetime(2030, 9, 30, tzinfo=CHINA_TZ), 2).provisional
    assert services.working_days_between(D(2030, 1, 1), D(2030, 1, 10)).provisional


def test_crossing_from_a_published_into_an_unpublished_year_is_provisional():
    assert not services.add_working_days(D(2026, 12, 29), 2).provisional  # 12-30, 12-31
    result = services.add_working_days(D(2026, 12, 30), 2)
    assert result.date == D(2027, 1, 1)
    assert result.unpublished_years == (2027,)


def test_bad_input_names_the_argument():
    with pytest.raises(ValidationError) as exc:
        services.add_working_days(D(2023, 1, 1), services.MAX_WORKING_DAYS + 1)
    assert set(exc.value.message_dict) == {"days"}
    with pytest.raises(ValidationError) as exc:
        services.day_info(D(1900, 1, 1))
    assert set(exc.value.message_dict) == {"date"}


# --- staff edits take effect at once ----------------------------------------------------------------


def test_entering_the_2030_national_day_changes_results_immediately(coordinator):
    assert services.add_working_days(D(2030, 9, 30), 1).date == D(2030, 10, 1)
    for day in _span(D(2030, 10, 1), D(2030, 10, 7)):
        services.special_day_set(
            day=day, kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NATIONAL_DAY, actor=coordinator
        )
    services.special_day_set(
        day=D(2030, 10, 12), kind=SpecialDayKind.MAKEUP_WORKDAY, holiday=HolidayName.NATIONAL_DAY, actor=coordinator
    )
    result = services.add_working_days(D(2030, 9, 30), 1)
    assert result.date == D(2030, 10, 8)
    assert result.provisional  # still: 2030 is not published yet
    assert CalendarYear.objects.get(year=2030).status == ScheduleStatus.NOT_PUBLISHED

    services.calendar_year_publish(year=2030, source="国办发明电〔2029〕1号", actor=coordinator)
    result = services.add_working_days(D(2030, 9, 30), 1)
    assert result.date == D(2030, 10, 8) and not result.provisional
    assert services.day_info(D(2030, 10, 12)).kind is DayType.MAKEUP_WORKDAY

    services.special_day_remove(day=D(2030, 10, 7), actor=coordinator)
    assert services.add_working_days(D(2030, 9, 30), 1).date == D(2030, 10, 7)
    services.calendar_year_unpublish(year=2030, actor=coordinator)
    assert services.add_working_days(D(2030, 9, 30), 1).provisional


def test_editing_a_seeded_day_changes_the_2023_case(coordinator):
    services.special_day_remove(day=D(2023, 10, 7), actor=coordinator)
    assert services.add_working_days(D(2023, 9, 28), 2).date == D(2023, 10, 9)


def test_a_rolled_back_edit_leaves_no_trace_in_the_cache(coordinator):
    calendar_snapshot()  # warm
    with pytest.raises(RuntimeError), transaction.atomic():
        services.special_day_remove(day=D(2023, 10, 8), actor=coordinator)
        assert services.add_working_days(D(2023, 9, 28), 2).date == D(2023, 10, 9)
        raise RuntimeError("roll back")
    assert services.add_working_days(D(2023, 9, 28), 2).date == D(2023, 10, 8)


def test_a_warm_cache_costs_one_small_query():
    calendar_cache_clear()
    with CaptureQueriesContext(connection) as cold:
        services.add_working_days(D(2023, 9, 28), 2)
    with CaptureQueriesContext(connection) as warm:
        services.add_working_days(D(2023, 9, 28), 2)

    assert len(cold) == 2
    assert len(warm) == 1


def test_changing_the_name_of_a_day_keeps_its_kind(coordinator):
    services.special_day_set(
        day=D(2023, 10, 6), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.MID_AUTUMN_FESTIVAL, actor=coordinator
    )
    assert services.day_info(D(2023, 10, 6)).holiday == HolidayName.MID_AUTUMN_FESTIVAL
    entry = AuditEvent.objects.for_object(SpecialDay.objects.get(day=D(2023, 10, 6))).get()
    assert entry.action == AuditAction.UPDATE
    assert entry.changes == {"holiday": ["national_day", "mid_autumn_festival"]}


# --- validation: clear messages, nothing half-saved --------------------------------------------------


def _refused(call, field, code=None, **kwargs):
    before = (
        SpecialDay.objects.count(),
        AuditEvent.objects.count(),
        list(CalendarYear.objects.values_list("year", "status", "revision")),
    )
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    assert field in exc.value.message_dict, exc.value.message_dict
    if code:
        assert exc.value.error_dict[field][0].code == code
    after = (
        SpecialDay.objects.count(),
        AuditEvent.objects.count(),
        list(CalendarYear.objects.values_list("year", "status", "revision")),
    )
    assert after == before
    return " ".join(exc.value.message_dict[field])


def test_makeup_working_day_on_a_weekday_is_refused(coordinator):
    message = _refused(
        services.special_day_set,
        "day",
        day=D(2030, 10, 8),
        kind=SpecialDayKind.MAKEUP_WORKDAY,
        holiday=HolidayName.NATIONAL_DAY,
        actor=coordinator,
    )
    assert "2030-10-08" in message


def test_holiday_on_a_makeup_day_is_a_conflict(coordinator):
    message = _refused(
        services.special_day_set,
        "kind",
        code="conflict",
        day=D(2023, 10, 7),
        kind=SpecialDayKind.HOLIDAY,
        holiday=HolidayName.NATIONAL_DAY,
        actor=coordinator,
    )
    assert "2023-10-07" in message
    assert services.day_info(D(2023, 10, 7)).kind is DayType.MAKEUP_WORKDAY


def test_makeup_day_on_a_holiday_is_a_conflict(coordinator):
    _refused(
        services.special_day_set,
        "kind",
        code="conflict",
        day=D(2023, 9, 30),
        kind=SpecialDayKind.MAKEUP_WORKDAY,
        holiday=HolidayName.NATIONAL_DAY,
        actor=coordinator,
    )


def test_other_holiday_needs_a_note(coordinator):
    _refused(
        services.special_day_set,
        "note",
        day=D(2030, 9, 3),
        kind=SpecialDayKind.HOLIDAY,
        holiday=HolidayName.OTHER,
        note="  ",
        actor=coordinator,
    )


def test_unknown_kind_and_holiday(coordinator):
    _refused(
        services.special_day_set,
        "kind",
        day=D(2030, 9, 3),
        kind="rest",
        holiday=HolidayName.OTHER,
        note="x",
        actor=coordinator,
    )
    _refused(
        services.special_day_set,
        "holiday",
        day=D(2030, 9, 3),
        kind=SpecialDayKind.HOLIDAY,
        holiday="christmas",
        actor=coordinator,
    )


def test_removing_an_ordinary_day_is_refused(coordinator):
    _refused(services.special_day_remove, "day", code="not_found", day=D(2023, 3, 15), actor=coordinator)


def test_publish_needs_a_source_and_a_valid_year(coordinator):
    _refused(services.calendar_year_publish, "source", year=2030, source=" ", actor=coordinator)
    _refused(services.calendar_year_publish, "year", year=1800, source="x", actor=coordinator)


def test_import_of_a_year_the_package_does_not_know_is_refused(coordinator):
    message = _refused(services.calendar_year_import, "year", code="no_package_data", year=2099, actor=coordinator)
    assert "2099" in message and package_source() in message


# --- audit ------------------------------------------------------------------------------------------


def test_each_operation_writes_exactly_one_audit_entry(coordinator):
    def entries():
        return AuditEvent.objects.count()

    n = entries()
    day = services.special_day_set(
        day=D(2030, 10, 1), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NATIONAL_DAY, actor=coordinator
    )
    assert entries() == n + 1
    created = AuditEvent.objects.for_object(day).get()
    assert created.action == AuditAction.CREATE and created.actor == coordinator
    services.special_day_remove(day=D(2030, 10, 1), actor=coordinator)
    assert entries() == n + 2
    assert AuditEvent.objects.first().action == AuditAction.DELETE
    services.calendar_year_publish(year=2030, source="国办发明电〔2029〕1号", notes="待核对", actor=coordinator)
    assert entries() == n + 3
    publish = AuditEvent.objects.first()
    assert publish.changes["status"] == ["not_published", "published"]
    services.calendar_year_import(year=2025, actor=coordinator)
    assert entries() == n + 4
    imported = AuditEvent.objects.first()
    assert imported.action == AuditAction.IMPORT and imported.changes["replaced"] == 33


# --- import and seeding -------------------------------------------------------------------------------


def test_import_replaces_hand_entered_days_and_publishes(coordinator):
    services.special_day_remove(day=D(2024, 10, 12), actor=coordinator)
    services.special_day_set(
        day=D(2024, 3, 4), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.OTHER, note="错误录入", actor=coordinator
    )
    services.calendar_year_unpublish(year=2024, actor=coordinator)
    record = services.calendar_year_import(year=2024, actor=coordinator)
    assert record.status == ScheduleStatus.PUBLISHED and record.source == package_source()
    assert services.day_info(D(2024, 10, 12)).kind is DayType.MAKEUP_WORKDAY
    assert services.day_info(D(2024, 3, 4)).kind is DayType.WORKDAY
    assert SpecialDay.objects.filter(day__year=2024).count() == len(package_schedule(2024))


def test_seed_is_idempotent_and_keeps_published_years(coordinator):
    services.special_day_remove(day=D(2025, 10, 11), actor=coordinator)
    outcomes = services.calendar_seed_years(years=[2025, 2026])
    assert outcomes == [(2025, "kept"), (2026, "kept")]
    assert services.day_info(D(2025, 10, 11)).kind is DayType.WEEKEND
    assert services.calendar_seed_years(years=[2025], force=True) == [(2025, "imported")]
    assert services.day_info(D(2025, 10, 11)).kind is DayType.MAKEUP_WORKDAY


def test_seed_reports_a_year_the_package_lacks():
    ((year, outcome),) = services.calendar_seed_years(years=[2099])
    assert year == 2099 and "2099" in outcome
    assert not CalendarYear.objects.filter(year=2099).exists()


def test_seed_fills_an_empty_calendar():
    SpecialDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    assert services.add_working_days(D(2023, 9, 28), 2).provisional
    assert services.calendar_seed_years() == [(y, "imported") for y in (2023, 2024, 2025, 2026)]
    result = services.add_working_days(D(2023, 9, 28), 2)
    assert result.date == D(2023, 10, 8) and not result.provisional
