"""Test helpers other apps may use: ``from huifu.workdays.testing import official_calendar``
in a conftest makes the fixture available to tests that count deadlines on the real calendar."""

from __future__ import annotations

import pytest

from .models import CalendarYear, ScheduleStatus
from .services import DEFAULT_SEED_YEARS, calendar_seed_years


@pytest.fixture
def official_calendar(db: None) -> None:
    """The 2023–2026 calendar exactly as the data migration seeds it.

    A transactional test (``live_server``) anywhere earlier in the run flushes every table,
    seeded rows included; re-seed from the package in that case so tests never depend on the
    order they run in.
    """
    published = CalendarYear.objects.filter(year__in=DEFAULT_SEED_YEARS, status=ScheduleStatus.PUBLISHED).count()
    if published < len(DEFAULT_SEED_YEARS):
        calendar_seed_years(years=DEFAULT_SEED_YEARS)
