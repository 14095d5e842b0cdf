"""Pages, exports and API: who opens which dashboard, member isolation (pages, API, exports, no
exchange totals), public suppression, constant queries, the definitions page."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.dashboards.models import FigureDefinition, PublicThreshold
from huifu.dashboards.tests.conftest import YEAR

pytestmark = pytest.mark.django_db

MANAGEMENT = reverse("dashboards:management") + f"?year={YEAR}"
COMPANY = reverse("dashboards:company") + f"?year={YEAR}"
DEPARTMENT = reverse("dashboards:department") + f"?year={YEAR}"
REGION = reverse("dashboards:region") + f"?year={YEAR}"
PUBLIC = reverse("dashboards:public") + f"?year={YEAR}"


def export(view: str, fmt: str) -> str:
    return reverse("dashboards:export", args=[view, fmt]) + f"?year={YEAR}"


def api(view: str) -> str:
    return f"/api/v1/dashboards/{view}/?year={YEAR}"


def test_management_dashboard_both_ways(client, coordinator, dept_head, dept_staff, member_a_admin, regulator):
    for user in (coordinator, dept_head):
        response = assert_allowed(client, user, MANAGEMENT)
        page = response.content.decode()
        assert 'data-testid="panel-feedback-months"' in page and 'data-testid="panel-universities"' in page
    for user in (dept_staff, member_a_admin, regulator):
        assert_denied(client, user, MANAGEMENT)
        assert_denied(client, user, export("management", "xlsx"))
        assert_denied(client, user, api("management"))
    client.logout()
    response = client.get(MANAGEMENT)
    assert response.status_code == 302


def test_department_dashboard_both_ways(client, dept_staff, member_a_admin, regulator):
    assert_allowed(client, dept_staff, DEPARTMENT)
    for user in (member_a_admin, regulator):
        assert_denied(client, user, DEPARTMENT)
        assert_denied(client, user, api("department"))


def test_regulator_dashboard_both_ways(client, regulator, member_a_admin, dept_staff):
    assert_allowed(client, regulator, REGION)
    for user in (member_a_admin, dept_staff):
        assert_denied(client, user, REGION)
        assert_denied(client, user, export("region", "pdf"))


def test_company_dashboard_is_for_member_users_only(client, member_a_admin, coordinator, regulator):
    assert_allowed(client, member_a_admin, COMPANY)
    for user in (coordinator, regulator):
        assert_denied(client, user, COMPANY)


def test_member_sees_only_its_own_figures_on_page_api_and_exports(client, year_data):
    """Company A's dashboard: its own counts, never B's, and no exchange-wide figure (so nothing
    can be learnt by subtracting its own figures from a total)."""
    login(client, year_data.a_admin)
    page = client.get(COMPANY).content.decode()
    assert 'data-testid="panel-sessions"' not in page  # exchange-wide sessions held
    assert 'data-testid="panel-universities"' not in page
    assert "乙期货" not in page
    # The feedback total of A is 3 (the exchange's is 4): the page shows A's row.
    totals = re.search(r'id="feedback-months".*?<strong>(\d+)</strong>', page, re.S)
    assert totals and totals.group(1) == "3"

    data = client.get(api("company")).json()
    panels = {p["key"]: p for p in data["panels"]}
    assert panels["feedback-months"]["total"][1] == 3
    assert panels["fee-reductions-products"]["total"][-1] == "1500.00"  # 1000 + 500; B's 300 absent
    assert panels["budget"]["columns"] == ["预算", "批准金额（元）", "已支付（元）"]
    assert "sessions" not in panels

    book = load_workbook(io.BytesIO(client.get(export("company", "xlsx")).content))
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert "1800.00" not in cells and "1800" not in cells  # the exchange's reduction total
    assert "1300" not in cells  # the exchange's copper total
    assert "乙期货有限公司" not in cells
    pdf = client.get(export("company", "pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    login(client, year_data.b_admin)
    b = client.get(api("company")).json()
    b_panels = {p["key"]: p for p in b["panels"]}
    assert b_panels["feedback-months"]["total"][1] == 1
    assert b_panels["fee-reductions-products"]["total"][-1] == "300.00"
    assert b_panels["budget"]["rows"] == []  # B's only allocation was released


def test_a_member_cannot_ask_for_another_scope(client, year_data):
    login(client, year_data.a_admin)
    for view in ("management", "department", "region"):
        assert client.get(api(view)).status_code == 403
        assert client.get(export(view, "xlsx")).status_code == 403
    assert client.get("/api/v1/dashboards/other/").status_code == 404


def test_management_exports(client, year_data):
    login(client, year_data.coordinator)
    response = client.get(export("management", "xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) > 20
    definitions = book.worksheets[0]
    texts = [str(c.value) for row in definitions.iter_rows() for c in row if c.value]
    assert any("按时答复" in t for t in texts)
    response = client.get(export("management", "pdf"))
    assert response.content.startswith(b"%PDF")
    assert b"NotoSansSC" in response.content  # the embedded font


def test_bad_year_is_named(client, coordinator):
    login(client, coordinator)
    response = client.get(reverse("dashboards:management") + "?year=abc")
    assert response.status_code == 200
    assert "年度：请填写数字年度" in response.content.decode()
    api_response = client.get("/api/v1/dashboards/management/?year=1900")
    assert api_response.status_code == 400
    assert "year" in api_response.json()["error"]["fields"]


def test_public_page_suppresses_small_counts(client, year_data):
    client.logout()
    page = client.get(PUBLIC).content.decode()
    # Audience: 2 industry clients, 1 individual; both below 5, so neither is shown; nor the total 3.
    assert "少于5" in page
    audience = re.search(r'id="audience".*?</section>', page, re.S).group(0)
    assert re.search(r'<td class="num">\s*[123]\s*</td>', audience) is None
    PublicThreshold.objects.update(minimum=1)
    page = client.get(PUBLIC).content.decode()
    audience = re.search(r'id="audience".*?</section>', page, re.S).group(0)
    assert "少于" not in audience
    book = load_workbook(io.BytesIO(client.get(export("public", "xlsx")).content))
    assert book.worksheets[0].title


def test_public_threshold_hides_a_second_cell_so_the_total_reveals_nothing():
    from huifu.dashboards.figures import Table
    from huifu.dashboards.public import Suppressed, suppress_table

    table = Table(["x", "n"], [["a", 40], ["b", 3], ["c", 12], ["d", 0]], ["Total", 55])
    result = suppress_table(table, 5)
    assert isinstance(result.rows[1][1], Suppressed)
    assert isinstance(result.rows[2][1], Suppressed)  # the next smallest, so 55 - 40 hides both
    assert result.rows[0][1] == 40 and result.rows[3][1] == 0
    assert result.total[1] == 55


def test_management_keeps_a_constant_number_of_queries(client, year_data):
    from huifu.dashboards.tests.conftest import grow

    login(client, year_data.coordinator)
    assert_constant_queries(client, MANAGEMENT, lambda: grow(year_data))


def test_member_dashboard_keeps_a_constant_number_of_queries(client, year_data):
    from huifu.dashboards.tests.conftest import grow

    login(client, year_data.a_admin)
    assert_constant_queries(client, COMPANY, lambda: grow(year_data))


def test_cached_dashboard_shows_its_time(client, coordinator, monkeypatch):
    from huifu.dashboards import figures

    monkeypatch.setattr(figures, "CACHE_SECONDS", 600)
    login(client, coordinator)
    first = client.get(MANAGEMENT).content.decode()
    stamp = re.search(r'data-testid="as-of"><small>(.*?)\.', first, re.S).group(1)
    second = client.get(MANAGEMENT).content.decode()
    assert stamp in second


def test_definitions_are_versioned_per_year(client, coordinator, dept_head):
    assert FigureDefinition.objects.filter(year=2023).count() > 10  # the seeded first edition
    assert_denied(client, dept_head, reverse("dashboards:definitions"))
    login(client, coordinator)
    url = reverse("dashboards:definitions")
    response = client.post(
        url,
        {"d-key": "visits", "d-year": "2026", "d-text_zh": "来访：2026年起的新口径。", "d-text_en": "Visits, 2026 on."},
    )
    assert response.status_code == 302
    page_2026 = client.get(reverse("dashboards:management") + "?year=2026").content.decode()
    page_2025 = client.get(reverse("dashboards:management") + "?year=2025").content.decode()
    assert "2026年起的新口径" in page_2026
    assert "2026年起的新口径" not in page_2025
    response = client.post(url, {"d-key": "visits", "d-year": "2026", "d-text_zh": ""})
    assert response.status_code == 400
    assert FigureDefinition.objects.get(key="visits", year=2026).text_zh == "来访：2026年起的新口径。"
    response = client.post(url, {"t-year": "2026", "t-minimum": "0"})
    assert response.status_code == 400
    response = client.post(url, {"t-year": "2026", "t-minimum": "10"})
    assert PublicThreshold.objects.get(year=2026).minimum == 10


def test_index_sends_each_role_to_its_dashboard(client, coordinator, member_a_admin, regulator, public_user):
    login(client, coordinator)
    assert client.get(reverse("dashboards:index"))["Location"] == reverse("dashboards:management")
    login(client, member_a_admin)
    assert client.get(reverse("dashboards:index"))["Location"] == reverse("dashboards:company")
    login(client, regulator)
    assert client.get(reverse("dashboards:index"))["Location"] == reverse("dashboards:region")
    login(client, public_user)
    assert client.get(reverse("dashboards:index")).status_code == 404
