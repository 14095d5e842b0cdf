"""Pages and API: permission matrix both ways, isolation between members, constant queries."""

import datetime as dt

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.settlements import services
from huifu.settlements.models import SettlementRun, SettlementStatus

from .conftest import TIERS

D = dt.date
pytestmark = pytest.mark.usefixtures("trading_calendar_data")


@pytest.fixture
def approved(make_project, accept, add_stats, org_a, org_b, dept_staff, finance_user, dept_head):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"])
    accept(project, org_b, ["ss"])
    add_stats(org_a, "ss", [D(2024, 3, 4)], volume=100)
    add_stats(org_b, "ss", [D(2024, 3, 4)], volume=300)
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    run = services.settlement_review(run=run, actor=finance_user)
    run = services.settlement_approve(run=run, actor=dept_head)
    statements = {s.organisation_id: s for s in run.statements.all()}
    return run, statements[org_a.pk], statements[org_b.pk]


def test_member_sees_only_its_own_statement(client, approved, member_a_admin, member_b_admin):
    run, mine, theirs = approved
    response = assert_allowed(client, member_a_admin, reverse("settlements:list"))
    assert reverse("settlements:statement_detail", args=[mine.pk]) in response.content.decode()
    assert reverse("settlements:statement_detail", args=[theirs.pk]) not in response.content.decode()
    page = assert_allowed(client, member_a_admin, reverse("settlements:statement_detail", args=[mine.pk]))
    assert "20.00" in page.content.decode()  # 100 lots × 2 CNY × 0.10
    assert_denied(client, member_a_admin, reverse("settlements:statement_detail", args=[theirs.pk]), codes=(404,))
    assert_denied(client, member_a_admin, reverse("settlements:statement_export", args=[theirs.pk]), codes=(404,))
    export = assert_allowed(client, member_a_admin, reverse("settlements:statement_export", args=[mine.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_denied(client, member_b_admin, reverse("settlements:statement_detail", args=[mine.pk]), codes=(404,))


def test_member_does_not_see_unapproved_statements(client, approved, member_a_admin, coordinator):
    run, mine, _ = approved
    SettlementRun.objects.filter(pk=run.pk).update(status=SettlementStatus.REVIEWED, approved_by=None, approved_at=None)
    assert_denied(client, member_a_admin, reverse("settlements:statement_detail", args=[mine.pk]), codes=(404,))
    assert_allowed(client, coordinator, reverse("settlements:statement_detail", args=[mine.pk]))


def test_api_isolation(client, approved, member_a_admin):
    run, mine, theirs = approved
    login(client, member_a_admin)
    listed = client.get("/api/v1/settlements/statements/").json()
    assert [item["id"] for item in listed["results"]] == [mine.pk]
    assert client.get(f"/api/v1/settlements/statements/{mine.pk}/").json()["lines"][0]["amount"] == "20.00"
    assert client.get(f"/api/v1/settlements/statements/{theirs.pk}/").status_code == 404


def test_permission_matrix(
    client, approved, coordinator, dept_staff, finance_user, member_a_admin, partner_user, regulator, public_user
):
    run, mine, _ = approved
    staff_pages = [reverse("settlements:run_detail", args=[run.pk]), reverse("settlements:run_export", args=[run.pk])]
    for user in (coordinator, dept_staff, finance_user):
        for url in staff_pages:
            assert_allowed(client, user, url)
    for user in (None, member_a_admin, partner_user, regulator, public_user):
        for url in staff_pages:
            assert_denied(client, user, url)
    for user in (None, partner_user, regulator, public_user):
        assert_denied(client, user, reverse("settlements:list"))
        assert_denied(client, user, "/api/v1/settlements/statements/")
    assert_allowed(client, dept_staff, reverse("settlements:run_create"))
    for user in (finance_user, member_a_admin, regulator):
        assert_denied(client, user, reverse("settlements:run_create"))


def test_denied_writes_change_nothing(client, make_project, coordinator, member_a_admin, finance_user, dept_staff):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    for user, name in (
        (member_a_admin, "run_compute"),
        (finance_user, "run_compute"),
        (dept_staff, "run_review"),
        (member_a_admin, "run_review"),
        (dept_staff, "run_approve"),
    ):
        assert_denied(client, user, reverse(f"settlements:{name}", args=[run.pk]), method="post")
    run.refresh_from_db()
    assert run.status == SettlementStatus.COMPUTED and run.reviewed_by is None
    assert_denied(
        client,
        member_a_admin,
        reverse("settlements:run_create"),
        method="post",
        data={"project": project.pk, "period_start": "2024-04-01", "period_end": "2024-06-30"},
    )
    assert SettlementRun.objects.count() == 1


def test_staff_flow_through_pages(client, make_project, accept, org_a, dept_staff, finance_user, dept_head):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}})
    accept(project, org_a, ["ss"])
    login(client, dept_staff)
    client.post(
        reverse("settlements:run_create"),
        {"project": project.pk, "period_start": "2024-01-01", "period_end": "2024-03-31"},
    )
    run = SettlementRun.objects.get()
    client.post(reverse("settlements:run_compute", args=[run.pk]))
    login(client, finance_user)
    client.post(reverse("settlements:run_review", args=[run.pk]))
    login(client, dept_head)
    client.post(reverse("settlements:run_approve", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == SettlementStatus.APPROVED
    bad = client.post(
        reverse("settlements:run_create"),
        {"project": project.pk, "period_start": "2024-03-01", "period_end": "2024-01-01"},
    )
    assert bad.status_code in (200, 403)


def test_lists_run_constant_queries(
    client, approved, make_project, accept, org_a, coordinator, member_a_admin, dept_staff
):
    counter = {"n": 0}

    def grow():
        counter["n"] += 1
        project = make_project(
            rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": TIERS}}, code=f"2024-X{counter['n']}"
        )
        accept(project, org_a, ["ss"])
        run = services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
        )
        run = services.settlement_compute(run=run, actor=dept_staff)
        SettlementRun.objects.filter(pk=run.pk).update(
            status="approved",
            reviewed_by=coordinator,
            reviewed_at=run.computed_at,
            approved_by=coordinator,
            approved_at=run.computed_at,
        )

    login(client, coordinator)
    assert_constant_queries(client, reverse("settlements:list"), grow)
    run = approved[0]
    assert_constant_queries(client, reverse("settlements:run_detail", args=[run.pk]), grow)
    login(client, member_a_admin)
    assert_constant_queries(client, reverse("settlements:list"), grow)
