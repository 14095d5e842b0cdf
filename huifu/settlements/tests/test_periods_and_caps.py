"""A trading day is settled once; caps hold for what their scope says, across runs; the project's
settlement decisions (payout order, pro-rating, missing data) change the figures as documented."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huifu.settlements import services
from huifu.settlements.explain import describe_all
from huifu.settlements.models import SettlementLine, SettlementRun, SettlementStatus

D = dt.date
pytestmark = pytest.mark.usefixtures("trading_calendar_data")
HALF = [{"from": "0", "to": None, "rate": "0.5"}]  # ss: 2 CNY per lot → 1 CNY per lot reduced


def settle(project, start, end, *, runner, reviewer, approver):
    run = services.settlement_create(project=project, period_start=start, period_end=end, actor=runner)
    run = services.settlement_compute(run=run, actor=runner)
    run = services.settlement_review(run=run, actor=reviewer)
    return services.settlement_approve(run=run, actor=approver)


def english(steps):
    with translation.override("en"):
        return " ".join(describe_all(steps))


def totals(run):
    return {s.organisation_id: s.total_amount for s in run.statements.all()}


@pytest.fixture
def q1_approved(make_project, accept, add_stats, org_a, dept_staff, finance_user, dept_head):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": HALF}})
    accept(project, org_a, ["ss"])
    add_stats(org_a, "ss", [D(2024, 2, 1), D(2024, 3, 4)], volume=1000)
    run = settle(project, D(2024, 1, 1), D(2024, 3, 31), runner=dept_staff, reviewer=finance_user, approver=dept_head)
    return project, run


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        (D(2024, 1, 1), D(2024, 3, 31), "2024-01-01", "2024-03-31"),  # identical
        (D(2024, 2, 1), D(2024, 2, 29), "2024-02-01", "2024-02-29"),  # contained
        (D(2024, 1, 1), D(2024, 6, 30), "2024-01-01", "2024-03-31"),  # superset
        (D(2024, 3, 15), D(2024, 4, 30), "2024-03-15", "2024-03-31"),  # overlapping the end
        (D(2023, 12, 1), D(2024, 1, 31), "2024-01-01", "2024-01-31"),  # overlapping the start
    ],
)
def test_an_overlapping_run_is_refused_naming_the_run_and_the_days(q1_approved, dept_staff, start, end, first, last):
    project, approved = q1_approved
    if start < project.period_start:
        project.period_start = D(2023, 1, 1)
        project.save(update_fields=["period_start"])
    with pytest.raises(ValidationError) as refused:
        services.settlement_create(project=project, period_start=start, period_end=end, actor=dept_staff)
    error = refused.value.error_dict["period_start"][0]
    assert error.code == "overlap"
    text = " ".join(refused.value.messages)
    assert f"#{approved.pk}" in text and first in text and last in text
    assert SettlementRun.objects.count() == 1


def test_an_adjacent_run_is_accepted_and_pays_only_its_own_days(q1_approved, add_stats, org_a, dept_staff):
    project, approved = q1_approved
    add_stats(org_a, "ss", [D(2024, 4, 1)], volume=300, contract="ss2407")
    run = services.settlement_create(
        project=project, period_start=D(2024, 4, 1), period_end=D(2024, 6, 30), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    assert totals(approved) == {org_a.pk: Decimal("2000.00")}
    assert totals(run) == {org_a.pk: Decimal("300.00")}


def test_a_draft_holds_its_period_until_cancelled(q1_approved, dept_staff):
    project, _approved = q1_approved
    draft = services.settlement_create(
        project=project, period_start=D(2024, 4, 1), period_end=D(2024, 6, 30), actor=dept_staff
    )
    with pytest.raises(ValidationError, match=f"#{draft.pk}"):
        services.settlement_create(
            project=project, period_start=D(2024, 5, 1), period_end=D(2024, 5, 31), actor=dept_staff
        )
    with pytest.raises(ValidationError):
        services.settlement_cancel(run=draft, actor=dept_staff, reason="")
    services.settlement_cancel(run=draft, actor=dept_staff, reason="wrong period")
    assert SettlementRun.objects.get(pk=draft.pk).status == SettlementStatus.CANCELLED
    again = services.settlement_create(
        project=project, period_start=D(2024, 4, 1), period_end=D(2024, 6, 30), actor=dept_staff
    )
    assert again.status == SettlementStatus.DRAFT


def test_an_approved_run_cannot_be_cancelled(q1_approved, dept_staff):
    _project, approved = q1_approved
    with pytest.raises(ValidationError) as refused:
        services.settlement_cancel(run=approved, actor=dept_staff, reason="oops")
    assert refused.value.code == "illegal_transition"


@pytest.fixture
def two_members(make_project, accept, add_stats, org_a, org_b):
    def make(**caps):
        project = make_project(
            rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": HALF}},
            cap_per_member=Decimal("1200"),
            cap_total=Decimal("2000"),
            **caps,
        )
        accept(project, org_a, ["ss"])
        accept(project, org_b, ["ss"])
        add_stats(org_a, "ss", [D(2024, 3, 4)], volume=1000)  # Q1: A 1 000.00
        add_stats(org_b, "ss", [D(2024, 3, 4)], volume=600)  # Q1: B 600.00
        add_stats(org_a, "ss", [D(2024, 4, 1)], volume=500, contract="ss2407")  # Q2: A 500.00
        add_stats(org_b, "ss", [D(2024, 4, 1)], volume=500, contract="ss2407")  # Q2: B 500.00
        return project

    return make


def test_project_caps_hold_over_the_whole_project_across_runs(
    two_members, org_a, org_b, dept_staff, finance_user, dept_head
):
    project = two_members()  # defaults: every cap holds for the whole project
    assert (project.cap_total_scope, project.cap_per_member_scope) == ("project", "project")
    people = {"runner": dept_staff, "reviewer": finance_user, "approver": dept_head}
    q1 = settle(project, D(2024, 1, 1), D(2024, 3, 31), **people)
    assert totals(q1) == {org_a.pk: Decimal("1000.00"), org_b.pk: Decimal("600.00")}
    q2 = settle(project, D(2024, 4, 1), D(2024, 6, 30), **people)
    # Member cap 1 200 over the project: A has 200 left → 500 becomes 200; B has 600 left → 500.
    # Project cap 2 000: 1 600 paid, 400 left; 200 + 500 = 700 → A 200 × 400 ÷ 700 = 114.2857… → 114.28,
    # B 500 × 400 ÷ 700 = 285.7142… → 285.71; 399.99 → the fen left over goes to the largest (B): 285.72.
    assert totals(q2) == {org_a.pk: Decimal("114.28"), org_b.pk: Decimal("285.72")}
    assert q1.total_amount + q2.total_amount == project.cap_total
    assert q2.inputs["prior"]["runs"] == [{"id": q1.pk, "start": "2024-01-01", "end": "2024-03-31"}]
    line_b = SettlementLine.objects.get(statement__run=q2, statement__organisation=org_b)
    text = english(line_b.explanation)
    assert "earlier approved settlements paid 1,600.00 CNY, 400.00 CNY left" in text
    assert "500.00 × 400.00 ÷ 700.00 = ≈285.7143, rounded down to the fen 285.71 + 1 fen" in text
    assert services.settlement_verify(q2)


def test_caps_per_settlement_when_the_project_says_so(two_members, org_a, org_b, dept_staff, finance_user, dept_head):
    project = two_members(cap_total_scope="run", cap_per_member_scope="run")
    people = {"runner": dept_staff, "reviewer": finance_user, "approver": dept_head}
    settle(project, D(2024, 1, 1), D(2024, 3, 31), **people)
    q2 = settle(project, D(2024, 4, 1), D(2024, 6, 30), **people)
    assert totals(q2) == {org_a.pk: Decimal("500.00"), org_b.pk: Decimal("500.00")}


def test_a_run_computed_before_another_was_approved_must_be_recomputed(
    two_members, org_a, org_b, dept_staff, finance_user, dept_head
):
    project = two_members()
    q1 = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    q2 = services.settlement_create(
        project=project, period_start=D(2024, 4, 1), period_end=D(2024, 6, 30), actor=dept_staff
    )
    q1 = services.settlement_compute(run=q1, actor=dept_staff)
    q2 = services.settlement_compute(run=q2, actor=dept_staff)
    assert q2.total_amount == Decimal("1000.00")  # nothing approved yet: nothing carried forward
    services.settlement_approve(run=services.settlement_review(run=q1, actor=finance_user), actor=dept_head)
    q2 = services.settlement_review(run=q2, actor=finance_user)
    with pytest.raises(ValidationError) as refused:
        services.settlement_approve(run=q2, actor=dept_head)
    assert refused.value.code == "stale_caps"
    q2 = services.settlement_return(run=q2, actor=finance_user, reason="caps moved")
    q2 = services.settlement_compute(run=q2, actor=dept_staff)
    assert q2.total_amount == Decimal("400.00")


def test_payout_ratio_before_or_after_the_product_cap(make_project, accept, add_stats, org_a, coordinator):
    rule = {"basis": "volume", "tier_mode": "marginal", "tiers": HALF, "cap_per_member": Decimal("300")}
    amounts = {}
    for code, order in (("2024-P1", "before_rule_cap"), ("2024-P2", "after_rule_cap")):
        project = make_project(rules={"ss": rule}, code=code, payout_order=order)
        accept(project, org_a, ["ss"], ratio="0.5")
        run = services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=coordinator
        )
        if order == "before_rule_cap":
            add_stats(org_a, "ss", [D(2024, 3, 4)], volume=1000)  # 1 000 CNY reduction
        amounts[order] = services.settlement_compute(run=run, actor=coordinator).total_amount
    # Ratio first: 1 000 × 0.5 = 500 → capped 300. Cap first: 1 000 → 300, × 0.5 = 150.
    assert amounts == {"before_rule_cap": Decimal("300.00"), "after_rule_cap": Decimal("150.00")}


def test_pro_rating_for_a_member_joining_mid_period(make_project, accept, add_stats, org_a, coordinator):
    tiers = [{"from": "0", "to": "1000", "rate": "0.1"}, {"from": "1000", "to": None, "rate": "0.5"}]
    amounts = {}
    for code, prorate in (("2024-R1", False), ("2024-R2", True)):
        project = make_project(
            rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": tiers}},
            code=code,
            prorate_for_joiners=prorate,
        )
        accept(project, org_a, ["ss"], effective_from=D(2024, 3, 18))  # 10 of Q1's 58 trading days
        if not prorate:
            add_stats(org_a, "ss", [D(2024, 3, 18)], volume=500)  # 1 000 CNY fees
        run = services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=coordinator
        )
        run = services.settlement_compute(run=run, actor=coordinator)
        amounts[prorate] = run.total_amount
        line = SettlementLine.objects.get(statement__run=run)
        text = english(line.explanation)
        assert "The window starts on 2024-03-18, the day the member joined the project." in text
    # Not pro-rated: all 500 lots in band 1: 0.1 × 1 000 = 100. Pro-rated: bands × 10/58, band 1 ends at
    # 172.4137…: 0.1 × 1 000 × 172.4137…/500 + 0.5 × 1 000 × 327.5862…/500 = 34.4827… + 327.5862… = 362.07.
    assert amounts == {False: Decimal("100.00"), True: Decimal("362.07")}


def test_a_day_without_data_counts_as_zero_or_as_missing(make_project, accept, add_stats, org_a, coordinator):
    rule = {"basis": "volume", "tier_mode": "marginal", "tiers": HALF, "min_avg_open_interest": Decimal("100")}
    from huifu.tradingdata.selectors import trading_calendar

    days = trading_calendar().trading_days_between(D(2024, 3, 4), D(2024, 3, 29))
    assert len(days) == 20
    results = {}
    for code, rule_name in (("2024-M1", "held_nothing"), ("2024-M2", "data_missing")):
        project = make_project(rules={"ss": rule}, code=code, missing_day_rule=rule_name)
        accept(project, org_a, ["ss"])
        if rule_name == "held_nothing":
            add_stats(org_a, "ss", days[:10], volume=10, oi=150)  # 100 lots, 150 lots held on 10 of 20 days
        run = services.settlement_create(
            project=project, period_start=D(2024, 3, 4), period_end=D(2024, 3, 29), actor=coordinator
        )
        run = services.settlement_compute(run=run, actor=coordinator)
        line = SettlementLine.objects.get(statement__run=run)
        results[rule_name] = (line.qualified, line.amount, line.avg_open_interest)
        if rule_name == "data_missing":
            text = english(line.explanation)
            assert "No data for 10 trading days (2024-03-18" in text
    # Held nothing: 1 500 / 20 = 75 < 100 → nothing. Missing: 1 500 / 10 = 150 → 100 lots × 1 CNY.
    assert results == {
        "held_nothing": (False, Decimal("0.00"), Decimal("75")),
        "data_missing": (True, Decimal("100.00"), Decimal("150")),
    }
