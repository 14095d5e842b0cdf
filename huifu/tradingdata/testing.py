"""Test helpers: ``trading_calendar_2024`` gives the official working-day calendar plus the
seeded exchange closures (re-seeded when a live-server test earlier in the run flushed them)."""

from __future__ import annotations

import pytest

from .models import ExchangeClosure

KNOWN_CLOSURES = {"2024-02-09": "春节前休市（除夕，2024年交易日共242天）"}


@pytest.fixture
def trading_calendar_data(official_calendar: None) -> None:
    for day, reason in KNOWN_CLOSURES.items():
        ExchangeClosure.objects.get_or_create(day=day, defaults={"reason": reason})
