"""The settlement run's stepper: stages derived from SETTLEMENT_TRANSITIONS, every state at a
stage, the four-eyes next step as the primary button for the right person only."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from huifu.core.progress import CURRENT
from huifu.core.testing.auth import login
from huifu.settlements import services
from huifu.settlements.models import SETTLEMENT_TRANSITIONS, SettlementStatus
from huifu.settlements.progress import SETTLEMENT_PATH, run_progress

from .conftest import TIERS

D = dt.date


def test_every_settlement_state_has_a_stage():
    assert set(SETTLEMENT_TRANSITIONS) == set(SettlementStatus.values)
    assert SETTLEMENT_PATH == ["draft", "computed", "reviewed", "approved"]
    for status in SettlementStatus.values:
        run = SimpleNamespace(pk=1, status=status, get_status_display=lambda s=status: SettlementStatus(s).label)
        stepper = run_progress(run, flags={})
        assert stepper.finished or sum(s.state == CURRENT for s in stepper.steps) == 1


@pytest.mark.usefixtures("trading_calendar_data")
def test_reviewer_gets_the_review_button(client, make_project, accept, add_stats, org_a, dept_staff, finance_user):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"])
    add_stats(org_a, "ss", [D(2024, 3, 4)], volume=100)
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    login(client, finance_user)
    stepper = client.get(reverse("settlements:run_detail", args=[run.pk])).context["stepper"]
    assert stepper.current.key == "computed"
    assert stepper.action.url == reverse("settlements:run_review", args=[run.pk])
    client.logout()
    login(client, dept_staff)  # who ran it does not review it
    stepper = client.get(reverse("settlements:run_detail", args=[run.pk])).context["stepper"]
    assert stepper.action is None
