"""In real Chromium, in Chinese: business staff try an overlapping settlement and are refused
with the run and the days named; Finance reviews the run; after approval the member downloads
its statement as an Excel file with number formats, a totals row and nothing about the others.

Figures: ss at 2 CNY per lot, one band at 0.5 → 1 CNY per lot; A trades 12 345 lots (12 345.00),
B 20 000 lots (20 000.00); project cap 25 000 binds: A 12 345 × 25 000 ÷ 32 345 = 9 541.6602…
→ 9 541.66, B 15 458.3397… → 15 458.33, 24 999.99 → the fen left over to B: 15 458.34.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.settlements import services
from huifu.settlements.models import SettlementRun, SettlementStatus

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("trading_calendar_data")]
D = datetime.date


def test_finance_reviews_overlap_is_refused_member_downloads_statement(
    chromium_available,
    live_server,
    make_project,
    accept,
    add_stats,
    org_a,
    org_b,
    dept_staff,
    finance_user,
    dept_head,
    member_a_admin,
    password,
):
    project = make_project(
        code="B-S01",
        rules={"ss": {"basis": "volume", "tier_mode": "marginal", "tiers": [{"from": "0", "to": None, "rate": "0.5"}]}},
        cap_total=Decimal("25000"),
    )
    accept(project, org_a, ["ss"])
    accept(project, org_b, ["ss"])
    add_stats(org_a, "ss", [D(2024, 2, 8)], volume=12345)
    add_stats(org_b, "ss", [D(2024, 2, 8)], volume=20000)
    run = services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = services.settlement_compute(run=run, actor=dept_staff)
    base = live_server.url
    staff_secret, finance_secret = ensure_totp(dept_staff), ensure_totp(finance_user)

    with open_browser(width=1200) as page:
        browser_login(page, base, dept_staff.email, password, totp_code=lambda: current_code(staff_secret))
        page.goto(f"{base}/settlements/runs/new/")
        page.get_by_label("项目").select_option(str(project.pk))
        page.get_by_label("期间开始").fill("2024-02-01")
        page.get_by_label("期间结束").fill("2024-04-30")
        page.get_by_role("button", name="创建").click()
        page.wait_for_load_state()
        refusal = page.locator("main").inner_text()
        screenshot(page, "settlements-overlap-refused")

    assert f"结算 #{run.pk}" in refusal and "2024-02-01 至 2024-03-31" in refusal, refusal
    assert "同一交易日只结算一次" in refusal
    assert SettlementRun.objects.count() == 1

    with open_browser(width=1200) as page:
        browser_login(page, base, finance_user.email, password, totp_code=lambda: current_code(finance_secret))
        page.goto(f"{base}/settlements/runs/{run.pk}/")
        run_text = page.locator("main").inner_text()
        page.get_by_role("button", name="复核通过").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="核验").click()
        verify_text = page.locator("#verify-result").inner_text()
        screenshot(page, "settlements-finance-verify")

    assert "25,000.00" in run_text and "9,541.66" in run_text and "15,458.34" in run_text
    assert verify_text.startswith("一致")
    run.refresh_from_db()
    assert run.status == SettlementStatus.REVIEWED and run.reviewed_by == finance_user
    run = services.settlement_approve(run=run, actor=dept_head)
    statement = run.statements.get(organisation=org_a)

    with open_browser(width=390, height=844) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/settlements/statements/{statement.pk}/")
        page.get_by_role("heading", name="手续费减收对账单").wait_for()
        text = page.locator("main").inner_text()
        screenshot(page, "settlements-member-statement-capped")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="导出 Excel").click()
        content = open(download_info.value.path(), "rb").read()  # noqa: SIM115 - a temp file Playwright owns

    assert "9,541.66" in text and "12,345.00 → 9,541.66" in text
    for secret in ("32,345", "15,458", "0.7729"):  # the project total, B's amount, the ratio
        assert secret not in text
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[:3] == ["会员号", "会员", "品种"] and "兑现比例" in header and "是否达标" in header
    line = rows[1]
    assert line[header.index("最终金额（元）")].value == Decimal("9541.66") or float(
        line[header.index("最终金额（元）")].value
    ) == pytest.approx(9541.66)
    assert line[header.index("最终金额（元）")].number_format == "#,##0.00"
    assert line[header.index("成交量（手）")].number_format == "#,##0"
    assert rows[2][1].value == "合计"
    everything = " ".join(str(c.value) for row in rows for c in row)
    assert "32345" not in everything and "15458" not in everything
