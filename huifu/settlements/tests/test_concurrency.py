"""Two staff create overlapping runs of one project at the same moment: one wins, the other is
refused. On PostgreSQL the two run in parallel threads with their own connections (the project row
lock serialises them); on SQLite they run one after the other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from huifu.core.testing.concurrency import race
from huifu.settlements import services
from huifu.settlements.models import SettlementRun

from .conftest import TIERS

D = dt.date
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("trading_calendar_data"),
]


@pytest.mark.parametrize(
    "second",
    [(D(2024, 1, 1), D(2024, 3, 31)), (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 3, 1), D(2024, 6, 30))],
    ids=["identical", "contained", "overlapping"],
)
def test_two_overlapping_runs_created_at_the_same_moment(make_project, dept_staff, coordinator, second):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    results = race(
        lambda: services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
        ),
        lambda: services.settlement_create(
            project=project, period_start=second[0], period_end=second[1], actor=coordinator
        ),
    )
    created = [r for r in results if isinstance(r, SettlementRun)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(created) == 1 and len(refused) == 1, results
    assert refused[0].error_dict["period_start"][0].code == "overlap"
    assert SettlementRun.objects.filter(project=project).count() == 1
