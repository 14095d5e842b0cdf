"""What statements say and to whom: a member learns nothing about other members; money reads
like money; verification recomputes every line from the stored inputs (page, API, command)."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from huifu.core.testing.auth import login
from huifu.settlements import engine, services
from huifu.settlements.explain import describe_all
from huifu.settlements.models import SettlementRun

D = dt.date
pytestmark = pytest.mark.usefixtures("trading_calendar_data")
HALF = [{"from": "0", "to": None, "rate": "0.5"}]


@pytest.fixture
def capped(make_project, accept, add_stats, org_a, org_b, dept_staff, finance_user, dept_head):
    """Project cap 1 234 binds: A 1 000 + B 700 = 1 700 → ratio 1 234 ÷ 1 700 = 0.72588235…;
    A 725.882… → 725.88, B 508.117… → 508.11, 1 233.99 → the left-over fen to A: 725.89."""

    def make(*, public=False):
        project = make_project(
            rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": HALF}},
            cap_total=Decimal("1234"),
            cap_ratio_public=public,
        )
        accept(project, org_a, ["ss"], ratio="0.8")
        accept(project, org_b, ["ss"])
        add_stats(org_a, "ss", [D(2024, 3, 4)], volume=1250)  # 1 250 × 1 CNY × 0.8 = 1 000
        add_stats(org_b, "ss", [D(2024, 3, 4)], volume=700)
        run = services.settlement_create(
            project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
        )
        run = services.settlement_compute(run=run, actor=dept_staff)
        run = services.settlement_review(run=run, actor=finance_user)
        run = services.settlement_approve(run=run, actor=dept_head)
        return run, run.statements.get(organisation=org_a)

    return make


SECRETS = ("1,700", "1700", "0.7258", "508.1", "1,234", "1234")  # project total, ratio, B's amount, cap left


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row)


def test_a_member_cannot_infer_the_other_members_totals(client, capped, member_a_admin):
    run, mine = capped()
    assert mine.total_amount == Decimal("725.89")
    login(client, member_a_admin)
    page = client.get(reverse("settlements:statement_detail", args=[mine.pk])).content.decode()
    api = json.dumps(client.get(f"/api/v1/settlements/statements/{mine.pk}/").json(), ensure_ascii=False)
    export = _xlsx_text(client.get(reverse("settlements:statement_export", args=[mine.pk])).content)
    for where, text in (("page", page), ("api", api), ("export", export)):
        assert "725.89" in text, where
        for secret in SECRETS:
            assert secret not in text, (where, secret)
    assert "1,000.00 → 725.89" in page  # its own amounts


def test_the_ratio_is_shown_when_the_project_publishes_it(client, capped, member_a_admin, coordinator):
    _run, mine = capped(public=True)
    login(client, member_a_admin)
    page = client.get(reverse("settlements:statement_detail", args=[mine.pk])).content.decode()
    assert "1,234.00 ÷ 1,700.00 = ≈0.7258823529" in page
    login(client, coordinator)
    assert "1,700.00" in client.get(reverse("settlements:statement_detail", args=[mine.pk])).content.decode()


def test_staff_see_the_rounding_rule_with_the_remainder_fen(capped):
    _run, mine = capped()
    line = mine.lines.get()
    with translation.override("en"):
        text = " ".join(describe_all(line.explanation))
    # 1 000 × 1 234 ÷ 1 700 = 725.88235…, rounded down 725.88, + 1 fen (the largest) = 725.89.
    assert "1,000.00 × 1,234.00 ÷ 1,700.00 = ≈725.8824, rounded down to the fen 725.88 + 1 fen" in text
    assert "= 725.89 CNY." in text


def test_scaling_matches_hand_computed_remainders():
    shares = engine.scale_shares(
        [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")], ["a", "b", "c"], Decimal("500")
    )
    # Exact 166.665, 166.665, 166.67 → down 166.66, 166.66, 166.67 = 499.99: one fen to the largest (c).
    assert [s.amount for s in shares] == [Decimal("166.66"), Decimal("166.66"), Decimal("166.68")]
    assert [s.remainder_fen for s in shares] == [0, 0, 1]
    shares = engine.scale_shares([Decimal("0.01")] * 7, list("gfedcba"), Decimal("0.03"))
    # 7 × 0.0042857… → 0 each; 3 fen left over, all to the largest (ties: lowest key "a").
    assert [s.amount for s in shares] == [Decimal("0")] * 6 + [Decimal("0.03")]


def test_statement_shows_money_result_and_whole_tier_band(client, make_project, accept, add_stats, org_a, coordinator):
    tiers = [
        {"from": "0", "to": "1000", "rate": "0.1"},
        {"from": "1000", "to": "5000", "rate": "0.2"},
        {"from": "5000", "to": None, "rate": "0.3"},
    ]
    project = make_project(rules={"cu": {"basis": "volume", "tier_mode": "whole", "tiers": tiers}})
    accept(project, org_a, ["cu"], ratio="0.5")
    add_stats(org_a, "cu", [D(2024, 2, 8)], volume=2500, turnover="28843200011")
    run = services.settlement_create(
        project=project, period_start=D(2024, 2, 1), period_end=D(2024, 2, 29), actor=coordinator
    )
    run = services.settlement_compute(run=run, actor=coordinator)
    statement = run.statements.get()
    login(client, coordinator)
    with translation.override("en"):
        page = client.get(reverse("settlements:statement_detail", args=[statement.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "28,843,200,011.00" in text and "28843200011" not in text
    assert "Falls in band 2 (1,000 to 5,000): rate 0.2" in text or "落在第 2 档" in text
    assert "Tier 0 to 1000" not in text  # unreached bands are not listed
    line = statement.lines.get()
    steps = [s["step"] for s in line.explanation]
    assert steps.count("tier_whole") == 1 and "tier" not in steps
    assert "2024-02-09" in " ".join(describe_all(line.explanation))  # the closure is named
    assert "0.5" in text  # payout ratio at the top


def test_verify_finds_a_changed_stored_input(client, capped, coordinator, member_a_admin):
    run, _mine = capped()
    out = io.StringIO()
    call_command("settlement_verify", str(run.pk), stdout=out)
    assert "0 mismatched" in out.getvalue() and ": match" in out.getvalue()
    login(client, coordinator)
    page = client.get(reverse("settlements:run_verify", args=[run.pk]))
    assert page.status_code == 200 and 'id="verify-result"' in page.content.decode()
    assert client.get(f"/api/v1/settlements/runs/{run.pk}/verify/").json()["matches"] is True

    inputs = run.inputs
    key = next(iter(inputs["figures"]))
    inputs["figures"][key]["volume"] += 100  # someone edits a stored input
    SettlementRun.objects.filter(pk=run.pk).update(inputs=inputs)
    with pytest.raises(CommandError, match=f"run\\(s\\) {run.pk}"):
        call_command("settlement_verify", str(run.pk), stdout=io.StringIO())
    result = client.get(f"/api/v1/settlements/runs/{run.pk}/verify/").json()
    assert result["matches"] is False
    assert any(not line["matches"] for line in result["lines"])
    page = client.get(reverse("settlements:run_verify", args=[run.pk])).content.decode()
    assert "badge-warn" in page
    inputs["figures"][key]["turnover"] = "not a number"  # or garbles it
    SettlementRun.objects.filter(pk=run.pk).update(inputs=inputs)
    assert client.get(f"/api/v1/settlements/runs/{run.pk}/verify/").json()["matches"] is False
    assert client.get(reverse("settlements:run_verify", args=[run.pk])).status_code == 200
    with pytest.raises(CommandError):
        call_command("settlement_verify", str(run.pk), stdout=io.StringIO())
    login(client, member_a_admin)
    assert client.get(reverse("settlements:run_verify", args=[run.pk])).status_code in (403, 404)
    assert client.get(f"/api/v1/settlements/runs/{run.pk}/verify/").status_code in (403, 404)


def test_overlap_refusal_on_the_page(client, capped, dept_staff):
    run, _mine = capped()
    login(client, dept_staff)
    response = client.post(
        reverse("settlements:run_create"),
        {"project": run.project_id, "period_start": "2024-02-01", "period_end": "2024-04-30"},
    )
    assert response.status_code == 200
    assert f"#{run.pk}" in response.content.decode()
    assert SettlementRun.objects.count() == 1


def test_run_export_has_number_formats_totals_and_cap_lines(client, capped, coordinator):
    run, _mine = capped()
    login(client, coordinator)
    book = load_workbook(io.BytesIO(client.get(reverse("settlements:run_export", args=[run.pk])).content))
    rows = list(book.worksheets[0].iter_rows())
    header = [c.value for c in rows[0]]
    final = header.index("最终金额（元）")
    assert [float(rows[i][final].value) for i in (1, 2)] == [725.89, 508.11]
    assert rows[1][final].number_format == "#,##0.00"
    assert rows[1][header.index("兑现比例")].value in (0.8, Decimal("0.8"))
    assert rows[1][header.index("计算基数（未取整）")].number_format == "#,##0.0000"
    assert rows[3][1].value == "合计" and float(rows[3][final].value) == 1234.00
    cap_lines = " ".join(str(r[2].value) for r in rows[5:] if len(r) > 2)
    assert "1,700.00" in cap_lines  # staff see the project total on the cap lines


def test_no_cap_step_on_a_line_that_did_not_qualify(make_project, accept, add_stats, org_a, coordinator):
    project = make_project(
        rules={
            "ss": {"basis": "volume", "tier_mode": "marginal", "tiers": HALF},
            "al": {"basis": "volume", "tier_mode": "marginal", "tiers": HALF, "min_volume": Decimal("1000")},
        },
        cap_per_member=Decimal("100"),
    )
    accept(project, org_a, ["ss", "al"])
    add_stats(org_a, "ss", [D(2024, 3, 4)], volume=500)
    add_stats(org_a, "al", [D(2024, 3, 4)], volume=10)
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=coordinator
    )
    run = services.settlement_compute(run=run, actor=coordinator)
    lines = {line.product.code: line for line in run.statements.get().lines.all()}
    assert lines["ss"].amount == Decimal("100.00")
    assert "member_cap" in [s["step"] for s in lines["ss"].explanation]
    assert not lines["al"].qualified
    assert "member_cap" not in [s["step"] for s in lines["al"].explanation]


def test_cancel_on_the_run_page_needs_a_reason_and_frees_the_period(client, make_project, dept_staff, member_a_admin):
    project = make_project(rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": HALF}})
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    login(client, member_a_admin)
    assert client.post(reverse("settlements:run_cancel", args=[run.pk]), {"reason": "x"}).status_code in (403, 404)
    login(client, dept_staff)
    client.post(reverse("settlements:run_cancel", args=[run.pk]), {"reason": ""})
    run.refresh_from_db()
    assert run.status == "draft"
    client.post(reverse("settlements:run_cancel", args=[run.pk]), {"reason": "wrong period"})
    run.refresh_from_db()
    assert run.status == "cancelled"
    again = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    assert again.pk != run.pk
