import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.settlements import services
from huifu.settlements.models import SettlementLine, SettlementStatus
from huifu.tradingdata.selectors import trading_calendar

from .conftest import TIERS

D = dt.date
pytestmark = pytest.mark.usefixtures("trading_calendar_data")


def q1_days():
    return trading_calendar().trading_days_between(D(2024, 1, 1), D(2024, 3, 31))


def test_q1_with_boundaries_coverage_and_a_mid_period_joiner(make_project, accept, add_stats, org_a, org_b, dept_staff):
    project = make_project(
        rules={
            "ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS},
            "al": {"basis": "volume", "tier_mode": "whole", "tiers": TIERS},
        }
    )
    accept(project, org_a, ["ss"])  # targets ss only: its al trading earns nothing
    accept(project, org_b, ["ss", "al"], effective_from=D(2024, 3, 15))
    days = q1_days()
    assert len(days) == 58 and days[0] == D(2024, 1, 2) and days[-1] == D(2024, 3, 29)
    add_stats(org_a, "ss", days, volume=2000)  # 116 000 lots in Q1
    add_stats(org_a, "ss", [D(2024, 4, 1)], volume=99999, contract="ss2407")  # after the period
    add_stats(org_a, "al", days, volume=5000)
    add_stats(org_b, "ss", days, volume=1000)  # counts from 03-15 only: 11 trading days
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    lines = {
        (line.statement.organisation_id, line.product.code): line
        for line in SettlementLine.objects.select_related("statement", "product")
    }
    a = lines[(org_a.pk, "ss")]
    # 116 000 lots × 2 CNY = 232 000 fees; 0.10 × 232 000 × 100/116 + 0.20 × 232 000 × 16/116 = 20 000 + 6 400.
    assert (a.volume, a.fees, a.amount, a.trading_days) == (116000, Decimal("232000"), Decimal("26400.00"), 58)
    assert (org_a.pk, "al") not in lines
    b = lines[(org_b.pk, "ss")]
    assert (b.window_start, b.trading_days, b.volume) == (D(2024, 3, 15), 11, 11000)
    assert b.amount == Decimal("2200.00")  # 11 000 × 2 × 0.10
    assert lines[(org_b.pk, "al")].amount == Decimal("0.00")  # no al trading
    assert run.total_amount == Decimal("28600.00") and run.status == SettlementStatus.COMPUTED
    assert run.inputs["period"]["trading_days"] == 58
    assert services.settlement_verify(run)


def test_caps_per_member_and_project_in_a_run(make_project, accept, add_stats, org_a, org_b, coordinator):
    project = make_project(
        rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": [{"from": "0", "to": None, "rate": "0.5"}]}},
        cap_per_member=Decimal("1500"),
        cap_total=Decimal("2000"),
    )
    accept(project, org_a, ["ss"], award="1000")
    accept(project, org_b, ["ss"])
    add_stats(org_a, "ss", [D(2024, 3, 4)], volume=1000)  # 2 000 fees × 0.5 = 1 000 + award 1 000 → cap 1 500
    add_stats(org_b, "ss", [D(2024, 3, 4)], volume=1000)  # 1 000
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), actor=coordinator
    )
    run = services.settlement_compute(run=run, actor=coordinator)
    totals = {s.organisation_id: s.total_amount for s in run.statements.all()}
    # Member cap: A 2 000 → 1 500. Project cap: 1 500 + 1 000 = 2 500 → 2 000: A 1 200, B 800.
    assert totals == {org_a.pk: Decimal("1200.00"), org_b.pk: Decimal("800.00")}
    assert run.total_amount == Decimal("2000.00")
    assert services.settlement_verify(run)


def test_award_only_in_the_period_covering_acceptance(make_project, accept, org_a, coordinator):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"], award="500", accepted=D(2024, 8, 1))
    h1 = services.settlement_compute(
        run=services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 6, 30), actor=coordinator
        ),
        actor=coordinator,
    )
    h2 = services.settlement_compute(
        run=services.settlement_create(
            project=project, period_start=D(2024, 7, 1), period_end=D(2024, 12, 31), actor=coordinator
        ),
        actor=coordinator,
    )
    assert h1.total_amount == Decimal("0.00") and h2.total_amount == Decimal("500.00")


def test_workflow_four_eyes_and_recompute_only_drafts(
    make_project, accept, org_a, dept_staff, finance_user, dept_head, coordinator
):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"])
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    with pytest.raises(ValidationError):
        services.settlement_review(run=run, actor=finance_user)  # draft: not computed yet
    run = services.settlement_compute(run=run, actor=dept_staff)
    run = services.settlement_compute(run=run, actor=dept_staff)  # re-run replaces the computed draft
    assert run.statements.count() == 1
    with pytest.raises(ValidationError):
        services.settlement_approve(run=run, actor=dept_head)  # not reviewed: rule allows, state does not
    run = services.settlement_review(run=run, actor=finance_user)
    with pytest.raises(PermissionDenied):
        services.settlement_approve(run=run, actor=finance_user)  # the reviewer cannot approve
    with pytest.raises(ValidationError):
        services.settlement_compute(run=run, actor=dept_staff)  # reviewed: frozen
    run = services.settlement_approve(run=run, actor=dept_head)
    assert run.status == SettlementStatus.APPROVED
    with pytest.raises(ValidationError):
        services.settlement_compute(run=run, actor=coordinator)
    with pytest.raises(ValidationError):
        services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=coordinator
        )


def test_creator_cannot_review(make_project, coordinator):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    run = services.settlement_compute(
        run=services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=coordinator
        ),
        actor=coordinator,
    )
    with pytest.raises(PermissionDenied):
        services.settlement_review(run=run, actor=coordinator)
    assert run.status == SettlementStatus.COMPUTED


def test_bad_periods(make_project, coordinator):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    with pytest.raises(ValidationError):
        services.settlement_create(
            project=project, period_start=D(2024, 3, 1), period_end=D(2024, 1, 1), actor=coordinator
        )
    with pytest.raises(ValidationError):
        services.settlement_create(
            project=project, period_start=D(2025, 1, 1), period_end=D(2025, 3, 1), actor=coordinator
        )


def test_whoever_recomputed_the_figures_cannot_review_or_approve_them(
    make_project, accept, org_a, dept_staff, coordinator, finance_user, dept_head
):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"])
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=coordinator)  # the coordinator prepared the figures
    assert run.computed_by == coordinator
    with pytest.raises(PermissionDenied):
        services.settlement_review(run=run, actor=coordinator)
    run.refresh_from_db()
    assert run.status == SettlementStatus.COMPUTED and run.reviewed_by is None
    # A department head recomputes: the head may no longer approve what it prepared.
    run = services.settlement_compute(run=run, actor=dept_head)
    run = services.settlement_review(run=run, actor=coordinator)  # no longer the preparer: allowed
    with pytest.raises(PermissionDenied):
        services.settlement_approve(run=run, actor=dept_head)
    run.refresh_from_db()
    assert run.status == SettlementStatus.REVIEWED and run.approved_by is None
    assert services.settlement_approve(run=run, actor=finance_user).status == SettlementStatus.APPROVED


def test_explanations_round_long_intermediate_figures_for_reading_only():
    from huifu.settlements.explain import _num

    assert _num("61728.394506") == "≈61,728.3945"
    assert _num("7597.34") == "7,597.34"
    assert _num("100000") == "100,000"
    assert _num("0.12345") == "≈0.1235"
    assert _num("n/a") == "n/a"
