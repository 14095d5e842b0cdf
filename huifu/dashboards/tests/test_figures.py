"""Every dashboard figure against the hand-made year of conftest.py (counted by hand there)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from huifu.dashboards.figures import Scope, compute
from huifu.dashboards.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


def by_label(dashboard, key):
    table = dashboard.panel(key).table
    return {str(r[0]): r[1:] for r in table.rows}, (table.total[1:] if table.total else None)


def month(dashboard, key, m):
    return dashboard.panel(key).table.rows[m - 1][1:]


@pytest.fixture
def exchange(year_data):
    with translation.override("zh-hans"):
        return compute(year=YEAR, scope=Scope("exchange"))


@pytest.fixture
def company_a(year_data):
    with translation.override("zh-hans"):
        return compute(year=YEAR, scope=Scope("member", str(year_data.a.pk)))


def test_feedback_per_month_counts_items_of_received_forms(exchange):
    # March: A1's two items and B1's item; answered A1-1 and B1-1; on time only A1-1.
    assert month(exchange, "feedback-months", 3) == [3, 2, 1, Decimal("33.3")]
    assert month(exchange, "feedback-months", 5) == [1, 0, 0, Decimal("0.0")]
    assert month(exchange, "feedback-months", 1) == [0, 0, 0, None]
    # The draft and last year's form (received 2024-12-31 23:00 in Shanghai) are not counted.
    assert exchange.panel("feedback-months").table.total[1:] == [4, 2, 1, Decimal("25.0")]


def test_feedback_by_department_and_topic(year_data, exchange):
    rows, _ = by_label(exchange, "feedback-departments")
    # A1-2 went to both departments and counts once in each; A2-1 has none (listed last).
    assert rows[year_data.business.name_zh] == [2, 1, 1]
    assert rows[year_data.msc.name_zh] == [2, 1, 0]
    assert list(rows.values())[-1] == [1, 0, 0]
    assert len(rows) == 3
    topics, _ = by_label(exchange, "feedback-topics")
    assert topics["交割"] == [2, 2, 1]
    assert topics["费用"] == [1, 0, 0]
    assert list(topics.values())[-1] == [1, 0, 0]  # A1-2 has no topic: listed last


def test_feedback_summary_gives_the_live_figures(year_data, exchange):
    """Once the service desk's summary exists, the dashboard reads it, with its "as of"."""
    from huifu.servicedesk.reports import report_refresh

    snapshot = report_refresh()
    with translation.override("zh-hans"):
        summary = compute(year=YEAR, scope=Scope("exchange"))
    for key in ("feedback-months", "feedback-departments", "feedback-topics"):
        assert summary.panel(key).table.rows == exchange.panel(key).table.rows, key
        assert summary.panel(key).as_of == snapshot.refreshed_at
    assert exchange.panel("feedback-months").as_of is None


def test_satisfaction_by_issuing_department(year_data, exchange):
    rows, total = by_label(exchange, "feedback-satisfaction")
    assert rows[year_data.business.name_zh] == [1, 1, Decimal("100.0"), Decimal("5.00")]
    assert rows[year_data.msc.name_zh] == [1, 0, Decimal("0.0"), Decimal("3.00")]
    assert total == [2, 1, Decimal("50.0"), Decimal("4.00")]


def test_visits(exchange):
    assert month(exchange, "visits", 4) == [2, 1, 1]
    assert month(exchange, "visits", 6) == [1, 0, 0]
    assert exchange.panel("visits").table.total[1:] == [3, 1, 1]


def test_activities_applied_approved_held_paid(exchange):
    # February: A's paid forum and approved salon; July: B's rejected forum; A's draft excluded.
    assert month(exchange, "activities-months", 2) == [2, 2, 1, 1]
    assert month(exchange, "activities-months", 7) == [1, 0, 0, 0]
    kinds, _ = by_label(exchange, "activities-kinds")
    assert kinds["大型论坛"] == [2, 1, 1, 1]
    assert kinds["小型产业沙龙"] == [1, 1, 0, 0]


def test_budget_used_against_the_pool(exchange):
    rows, total = by_label(exchange, "budget")
    # 30 000 + 20 000 active (B's 10 000 was released); 30 000 paid of 100 000.
    assert rows["市场活动预算"] == [Decimal("100000"), Decimal("50000"), Decimal("30000"), Decimal("30.0")]
    assert total[-1] == Decimal("30.0")


def test_incentive_projects_and_fee_reductions_by_product(exchange):
    rows, _ = by_label(exchange, "incentive-projects")
    # Two participations, one approved (tracking); reductions of the approved run only.
    assert rows["2025-F01 铜铝功能项目"] == [2, 1, Decimal("1800.00")]
    products, total = by_label(exchange, "fee-reductions-products")
    assert products["铜（cu）"] == [2, Decimal("1300.00")]
    assert products["铝（al）"] == [1, Decimal("500.00")]
    assert total == [3, Decimal("1800.00")]
    assert month(exchange, "fee-reductions-months", 3) == [Decimal("1800.00")]


def test_enterprise_plans_by_situation_and_region(exchange):
    assert month(exchange, "plans-months", 3) == [1]
    assert month(exchange, "plans-months", 4) == [1]
    status, _ = by_label(exchange, "plans-status")
    assert status["已提交"] == [1, Decimal("0")]
    assert status["已批准"] == [1, Decimal("50000")]
    situations, _ = by_label(exchange, "plans-situation")
    assert list(situations.values()) == [[1], [1], [1]]
    regions, _ = by_label(exchange, "plans-region")
    assert regions == {"上海": [2], "江西": [1]}


def test_education(exchange):
    sessions = exchange.panel("sessions").table
    assert sessions.rows[2][1:] == [1, 1]  # March: one talk, one training; cancelled and draft not held
    assert sessions.total[1:] == [1, 1]
    assert month(exchange, "people", 3) == [3, 2]  # three attendances of two people
    assert exchange.panel("people").table.total[1:] == [3, 2]
    audience, total = by_label(exchange, "audience")
    assert audience == {"产业客户": [2], "个人投资者": [1]}
    assert month(exchange, "education-satisfaction", 3) == [2, 1, Decimal("50.0")]
    assert month(exchange, "hours", 3) == [Decimal("4.5")]  # one attendance of a 3 + 1.5 hour session
    certificates, _ = by_label(exchange, "certificates")
    assert certificates == {"参训证明": [1]} or list(certificates.values()) == [[1]]


def test_university_coverage_is_the_universities_figures(exchange):
    rows = exchange.panel("universities").table.rows
    assert [r[1] for r in rows] == [0, 0, 0, 0, 0, 0]


def test_member_dashboard_counts_only_its_own_records(year_data, company_a):
    assert company_a.panel("feedback-months").table.total[1:] == [3, 1, 1, Decimal("33.3")]
    assert company_a.panel("feedback-satisfaction").table.total[1:] == [1, 1, Decimal("100.0"), Decimal("5.00")]
    assert company_a.panel("visits").table.total[1:] == [2, 1, 1]
    assert month(company_a, "activities-months", 2) == [2, 2, 1, 1]
    assert company_a.panel("activities-months").table.total[1:] == [2, 2, 1, 1]
    budget, total = by_label(company_a, "budget")
    assert budget == {"市场活动预算": [Decimal("50000"), Decimal("30000")]}
    projects, _ = by_label(company_a, "incentive-projects")
    assert projects == {"2025-F01 铜铝功能项目": [1, 1, Decimal("1500.00")]}
    products, _ = by_label(company_a, "fee-reductions-products")
    assert products == {"铜（cu）": [Decimal("1000.00")], "铝（al）": [Decimal("500.00")]}
    assert by_label(company_a, "plans-region")[0] == {"上海": [1], "江西": [1]}
    assert month(company_a, "people", 3) == [2, 1]
    assert by_label(company_a, "audience")[0] == {"产业客户": [2]}
    assert month(company_a, "education-satisfaction", 3) == [1, 1, Decimal("100.0")]
    assert month(company_a, "hours", 3) == [Decimal("4.5")]
    keys = [p.key for p in company_a.panels]
    # No exchange-wide panels: sessions held, budget pools, university coverage.
    assert "sessions" not in keys and "universities" not in keys
    assert "Pool (CNY)" not in [str(c) for c in company_a.panel("budget").table.columns]


def test_department_sees_its_own_work(year_data):
    business = compute(year=YEAR, scope=Scope("department", str(year_data.business.pk), year_data.business.name_zh))
    msc = compute(year=YEAR, scope=Scope("department", str(year_data.msc.pk), year_data.msc.name_zh))
    assert business.panel("feedback-months").table.total[1:4] == [2, 1, 1]
    assert msc.panel("feedback-months").table.total[1:4] == [2, 1, 0]
    assert business.panel("feedback-satisfaction").table.total[1:3] == [1, 1]
    assert msc.panel("feedback-satisfaction").table.total[1:3] == [1, 0]
    assert len(business.panel("budget").table.rows) == 1
    assert msc.panel("budget").table.rows == []
    assert len(business.panel("incentive-projects").table.rows) == 1
    assert msc.panel("incentive-projects").table.rows == []


def test_regulator_sees_its_region_only(year_data):
    shanghai = compute(year=YEAR, scope=Scope("regulator", "shanghai"))
    jiangxi = compute(year=YEAR, scope=Scope("regulator", "jiangxi"))
    yunnan = compute(year=YEAR, scope=Scope("regulator", "yunnan"))
    with translation.override("zh-hans"):
        assert by_label(shanghai, "plans-region")[0] == {"上海": [2]}
        assert by_label(jiangxi, "plans-region")[0] == {"江西": [1]}
    assert shanghai.panel("plans-status").table.total[1] == 2
    assert jiangxi.panel("plans-status").table.total[1] == 1
    assert yunnan.panel("plans-status").table.rows == []
    assert [p.key for p in shanghai.panels] == ["plans-months", "plans-status", "plans-situation", "plans-region"]
