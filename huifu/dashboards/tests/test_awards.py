"""The awards figures against a hand-made 2023 built through the real awards and selections
services: the member rating (A and B evaluated, A objects, the final list names B, B's award is
revoked later) and the analyst selection (A's team and B's two teams apply, A's team wins).
Management sees both companies; each member sees only its own results, awards and certificates
(page, API, Excel)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from huifu.awards.models import AwardProgramme, ProgrammeKind
from huifu.awards.services import CategorySpec, WinnerSpec, edition_create, winners_publish
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.dashboards.figures import Scope, compute
from huifu.directory.models import OrganisationKind

pytestmark = pytest.mark.django_db

YEAR = 2023
MANAGEMENT = reverse("dashboards:management") + f"?year={YEAR}"
COMPANY = reverse("dashboards:company") + f"?year={YEAR}"


def api(view: str) -> str:
    return f"/api/v1/dashboards/{view}/?year={YEAR}"


def export(view: str) -> str:
    return reverse("dashboards:export", args=[view, "xlsx"]) + f"?year={YEAR}"


def rows(dashboard, key):
    table = dashboard.panel(key).table
    return [[str(r[0]), *r[1:]] for r in table.rows], table.total


def test_management_awards_per_programme(awards_year):
    with translation.override("zh-hans"):
        data = compute(year=YEAR, scope=Scope("exchange"))
        table, total = rows(data, "awards")
    assert table == [
        # run, evaluated, objections received, decided, winners, revoked
        ["会员评优", 1, 2, 1, 1, 1, 1],
        ["境外经纪机构突出市场贡献奖", 0, 0, 0, 0, 0, 0],
        ["优秀分析师（团队）评选", 1, 3, None, None, 1, 0],  # 3 applications; no objections there
    ]
    assert total[1:] == [2, 5, 1, 1, 2, 1]


def test_a_department_sees_the_programmes_it_organises_only(awards_year, dept_mm, dept_ine):
    """Member Management organises the member rating and the analyst selection; the subsidiary's
    department the overseas broker award, with nothing run in 2023: its rows stay empty."""
    with translation.override("zh-hans"):
        mm, _ = rows(compute(year=YEAR, scope=Scope("department", str(dept_mm.pk))), "awards")
        ine, ine_total = rows(compute(year=YEAR, scope=Scope("department", str(dept_ine.pk))), "awards")
    assert mm == [
        ["会员评优", 1, 2, 1, 1, 1, 1],
        ["境外经纪机构突出市场贡献奖", 0, 0, 0, 0, 0, 0],
        ["优秀分析师（团队）评选", 1, 3, None, None, 1, 0],
    ]
    assert ine == [
        ["会员评优", 0, 0, 0, 0, 0, 0],
        ["境外经纪机构突出市场贡献奖", 0, 0, 0, 0, 0, 0],
        ["优秀分析师（团队）评选", 0, 0, None, None, 0, 0],
    ]
    assert ine_total[1:] == [0, 0, 0, 0, 0, 0]


def test_member_a_sees_its_own_awards_only(awards_year):
    with translation.override("zh-hans"):
        data = compute(year=YEAR, scope=Scope("member", str(awards_year.a.pk)))
        table, total = rows(data, "awards")
        results, _ = rows(data, "awards-results")
        certificates, _ = rows(data, "awards-certificates")
    assert total is None  # no total row at all
    assert [r[1:] for r in table] == [
        # lists with A's result (v1, v1.1), applications, objections, decided, awards, revoked
        [2, 0, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0],
        [1, 1, None, None, 1, 0],  # the published run holding A's application; A's one application
    ]
    assert [(r[0].split()[-1], r[2], str(r[3]), str(r[4])) for r in results] == [
        ("v1", Decimal("64.00"), "否", "否"),
        ("v1.1", Decimal("64.00"), "否", "是"),
    ]
    assert certificates == [
        [
            "优秀分析师（团队）评选 · 优秀分析师团队",
            "甲研究团队",
            awards_year.analyst_winner.number,
            timezone.localtime(awards_year.analyst_winner.published_at).date().isoformat(),
            "有效",
        ]
    ]


def test_member_b_sees_its_own_revoked_award_and_not_a(awards_year):
    with translation.override("zh-hans"):
        data = compute(year=YEAR, scope=Scope("member", str(awards_year.b.pk)))
        table, _ = rows(data, "awards")
        results, _ = rows(data, "awards-results")
        certificates, _ = rows(data, "awards-certificates")
    assert [r[1:] for r in table] == [[2, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 0], [1, 2, None, None, 0, 0]]
    # B is within the quota of v1 and of the final v1.1 (its own standing, not a rank among others)
    assert [(r[2], str(r[3]), str(r[4])) for r in results] == [
        (Decimal("65.56"), "是", "否"),
        (Decimal("65.56"), "是", "是"),
    ]
    assert [(c[2], c[4]) for c in certificates] == [(awards_year.rating_winner.number, "已撤销")]


def test_isolation_on_page_api_and_export_both_ways(client, awards_year, coordinator, member_a_admin, member_b_admin):
    a_number, b_number = awards_year.analyst_winner.number, awards_year.rating_winner.number

    login(client, member_a_admin)
    page = client.get(COMPANY).content.decode()
    assert 'data-testid="panel-awards-certificates"' in page and a_number in page and "甲研究团队" in page
    assert b_number not in page and "乙能化团队" not in page and "65.56" not in page
    panels = {p["key"]: p for p in client.get(api("company")).json()["panels"]}
    assert panels["awards"]["total"] is None
    assert [r[2] for r in panels["awards-certificates"]["rows"]] == [a_number]
    book = load_workbook(io.BytesIO(client.get(export("company")).content))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert a_number in cells and b_number not in cells and "65.56" not in cells and "乙期货有限公司" not in cells

    login(client, member_b_admin)
    page = client.get(COMPANY).content.decode()
    assert b_number in page and a_number not in page and "甲研究团队" not in page and "64.00" not in page
    panels = {p["key"]: p for p in client.get(api("company")).json()["panels"]}
    assert [r[2] for r in panels["awards-certificates"]["rows"]] == [b_number]
    book = load_workbook(io.BytesIO(client.get(export("company")).content))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert b_number in cells and a_number not in cells and "甲研究团队" not in cells

    login(client, coordinator)
    page = client.get(MANAGEMENT).content.decode()
    assert 'data-testid="panel-awards"' in page and "尚未" not in page
    panels = {p["key"]: p for p in client.get(api("management")).json()["panels"]}
    assert panels["awards"]["total"][5] == 2  # A's and B's winners both counted
    assert "awards-certificates" not in panels
    book = load_workbook(io.BytesIO(client.get(export("management")).content))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert "会员评优" in cells and "优秀分析师（团队）评选" in cells


def test_awards_definitions_are_stored_and_shown(client, awards_year, coordinator):
    from huifu.dashboards.models import FigureDefinition

    assert set(FigureDefinition.objects.filter(key__startswith="awards").values_list("key", flat=True)) == {
        "awards",
        "awards_member",
    }
    login(client, coordinator)
    page = client.get(MANAGEMENT).content.decode()
    assert "评优：当年的会员评优" in page


@pytest.fixture
def grow_awards(coordinator, org_a, dept_mm):
    counter = iter(range(1, 100))

    def grow():
        n = next(counter)
        programme = AwardProgramme.objects.create(
            code=f"extra-{n}",
            kind=ProgrammeKind.OVERSEAS_BROKER,
            name_zh=f"附加奖{n}",
            name_en=f"Extra {n}",
            department=dept_mm,
            subject_kind=OrganisationKind.FUTURES_COMPANY,
        )
        edition = edition_create(
            actor=coordinator,
            programme=programme,
            year=YEAR,
            title_zh=f"附加奖{n}",
            title_en=f"Extra {n}",
            categories=[CategorySpec("c", "类别", "Category")],
        )
        winners_publish(
            actor=coordinator,
            edition=edition,
            winners=[WinnerSpec(category="c", organisation=org_a, name_zh="甲期货有限公司") for _ in range(1)],
            notify=False,
        )

    return grow


def test_awards_panels_keep_a_constant_number_of_queries(client, awards_year, grow_awards, coordinator, member_a_admin):
    login(client, coordinator)
    assert_constant_queries(client, MANAGEMENT, grow_awards)
    # The coordinator's own department (Member Management) organises the programmes grown.
    assert_constant_queries(client, reverse("dashboards:department") + f"?year={YEAR}", grow_awards)
    login(client, member_a_admin)
    assert_constant_queries(client, COMPANY, grow_awards)
