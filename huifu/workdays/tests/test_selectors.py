"""The cached calendar snapshot: cheap when warm, never stale."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.workdays import services
from huifu.workdays.models import CalendarYear, HolidayName, SpecialDayKind
from huifu.workdays.selectors import calendar_cache_clear, calendar_snapshot, calendar_years_for, special_day_for_edit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]


def test_snapshot_is_reused_until_the_calendar_changes(coordinator):
    calendar_cache_clear()
    first = calendar_snapshot()
    with CaptureQueriesContext(connection) as ctx:
        assert calendar_snapshot() is first
    assert len(ctx) == 1
    services.special_day_set(
        day=dt.date(2030, 1, 2), kind=SpecialDayKind.HOLIDAY, holiday=HolidayName.NEW_YEARS_DAY, actor=coordinator
    )
    second = calendar_snapshot()
    assert second is not first
    assert not second.is_working_day(dt.date(2030, 1, 2))


def test_an_edit_made_elsewhere_is_seen(coordinator):
    """Another process edits: only the database changes, yet this process's snapshot follows."""
    snapshot = calendar_snapshot()
    assert snapshot.is_year_published(2026)
    CalendarYear.objects.filter(year=2026).update(
        status="not_published", revision="00000000-0000-0000-0000-0000000000aa"
    )
    assert not calendar_snapshot().is_year_published(2026)


def test_years_for_users(member_a_contact, public_user):
    assert calendar_years_for(member_a_contact).count() >= 4
    assert calendar_years_for(public_user).count() >= 4


def test_special_day_for_edit_only_for_editors(coordinator, member_a_admin):
    assert special_day_for_edit(user=coordinator, day=dt.date(2023, 10, 7)) is not None
    assert special_day_for_edit(user=member_a_admin, day=dt.date(2023, 10, 7)) is None
    assert special_day_for_edit(user=coordinator, day=dt.date(2023, 10, 9)) is None
