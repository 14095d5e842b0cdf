"""In real Chromium: a member applies for a project, staff approve and accept it, the member's
trading data is imported, a settlement is computed, reviewed and approved by three different
staff (four eyes), and the member reads its fee-reduction statement line by line.

Figures (hand-checked, independent of today's date): project 2024, copper (fee 0.00005 of
turnover), basis volume, marginal tiers 0–100 000 lots at 0.10 and 100 000+ at 0.20. The member
joins on 2024-03-01; the settlement covers 2024-01-01 … 2024-03-31, so its window is 2024-03-01
… 2024-03-31 (21 trading days). Rows before joining, after the period, of another member and of
another product do not count. In the window: V = 70 000 + 60 000 = 130 000 lots,
T = 700 000 000.00 + 534 567 890.12 = 1 234 567 890.12 CNY, F = T × 0.00005 = 61 728.394506 CNY.
R = 0.10 × F × 100 000/130 000 + 0.20 × F × 30 000/130 000 = F × 16 000/130 000
  = 987 654.312096 / 130 = 7 597.3408622… → 7 597.34 CNY (to the fen, half up).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.incentives import services
from huifu.incentives.models import Participation
from huifu.settlements import services as settlement_services
from huifu.settlements.models import SettlementStatement, SettlementStatus
from huifu.tradingdata.services import import_daily_file

pytestmark = pytest.mark.browser

D = datetime.date
EXPECTED = Decimal("7597.34")

DAILY_CSV = """trade_date,member_number,product_code,contract,volume,turnover,open_interest
2024-02-29,0101,cu,cu2405,50000,500000000.00,1000
2024-03-04,0101,cu,cu2405,70000,700000000.00,1200
2024-03-05,0101,cu,cu2405,60000,534567890.12,1100
2024-04-01,0101,cu,cu2405,99999,999999999.99,900
2024-03-04,0101,al,al2405,80000,900000000.00,500
2024-03-04,0202,cu,cu2405,300000,3000000000.00,2000
"""


def test_member_applies_staff_accepts_member_reads_statement(
    chromium_available,
    live_server,
    make_project,
    member_a_admin,
    dept_staff,
    coordinator,
    finance_user,
    org_b,
    password,
):
    project = make_project(
        code="B-F01",
        name_zh="浏览器测试铜项目",
        year=2024,
        period_start=D(2024, 1, 1),
        period_end=D(2024, 12, 31),
    )
    secret = ensure_totp(dept_staff)
    base = live_server.url

    with open_browser(width=390, height=844) as page:  # phone width
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/incentives/projects/{project.pk}/")
        page.get_by_role("button", name="申请参与本项目").click()
        page.get_by_label("铜 (cu)").check()
        page.get_by_label("方案").fill("为铜产业链企业提供套期保值培训")
        page.get_by_role("button", name="提交").click()
        page.wait_for_selector("#participation-status")
        submitted_status = page.locator("#participation-status").inner_text()
        screenshot(page, "incentives-member-applied")

    participation = Participation.objects.get()
    assert submitted_status == participation.get_status_display() or "待审" in submitted_status
    services.participation_review(
        actor=dept_staff, participation=participation, approve=True, comment="同意", joined_on=D(2024, 3, 1)
    )
    services.participation_submit_results(actor=member_a_admin, participation=participation, text="全年成果")

    with open_browser(width=1200) as page:
        browser_login(page, base, dept_staff.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{base}/incentives/participations/{participation.pk}/")
        page.locator("summary", has_text="成果验收").click()
        page.get_by_label("已验收").check()
        page.get_by_label("备注").fill("成果验收通过")
        page.get_by_role("button", name="记录结果").click()
        page.wait_for_selector("#acceptance-result")
        screenshot(page, "incentives-staff-accepted")

    participation.refresh_from_db()
    assert participation.status == "accepted" and participation.result == "accepted"
    assert participation.effective_from == D(2024, 3, 1)
    assert list(participation.products.values_list("code", flat=True)) == ["cu"]

    with open_browser(width=390, height=844) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/incentives/participations/")
        page.get_by_role("link", name=member_a_admin.organisation.name_zh).click()
        page.wait_for_selector("#acceptance-result")
        result = page.locator("#acceptance-result").inner_text()
        status = page.locator("#participation-status").inner_text()
        screenshot(page, "incentives-member-sees-acceptance")

    assert "成果验收通过" in result
    assert status == "已验收"

    # Trading data through the real importer; then run → review → approve by three people.
    data = DAILY_CSV.encode()
    batch = import_daily_file(
        opener=lambda: io.BytesIO(data), file_format="csv", original_name="daily-2024q1.csv", actor=dept_staff
    )
    assert (batch.status, batch.rows_imported, batch.error_count) == ("imported", 6, 0)

    run = settlement_services.settlement_create(
        project=project, period_start=D(2024, 1, 1), period_end=D(2024, 3, 31), actor=dept_staff
    )
    run = settlement_services.settlement_compute(run=run, actor=dept_staff)
    statement = SettlementStatement.objects.get(run=run)  # member B has no participation: no statement
    assert statement.organisation_id == member_a_admin.organisation_id
    assert statement.total_amount == EXPECTED
    assert [(line.product.code, line.volume, line.amount) for line in statement.lines.all()] == [
        ("cu", 130000, EXPECTED)
    ]
    assert settlement_services.settlement_verify(run)

    # Before approval the member sees no statement (checked in the browser below: list is empty).
    with open_browser(width=390, height=844) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/settlements/")
        before_approval = page.locator("main").inner_text()
        missing = page.goto(f"{base}/settlements/statements/{statement.pk}/")
        before_status = missing.status

    assert "尚无已审批的对账单" in before_approval
    assert before_status == 404

    run = settlement_services.settlement_review(run=run, actor=coordinator)
    run = settlement_services.settlement_approve(run=run, actor=finance_user)
    assert run.status == SettlementStatus.APPROVED
    assert len({run.created_by_id, run.reviewed_by_id, run.approved_by_id}) == 3

    with open_browser(width=390, height=844) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/settlements/")
        page.get_by_role("heading", name="我的手续费减收对账单").wait_for()
        list_text = page.locator("table").inner_text()
        screenshot(page, "settlements-member-statement-list")
        page.get_by_role("link", name="B-F01 浏览器测试铜项目").click()
        page.get_by_role("heading", name="手续费减收对账单").wait_for()
        total = page.locator("dd strong").inner_text()
        line = page.locator("article").inner_text()
        steps = page.locator("article li").all_inner_texts()
        screenshot(page, "settlements-member-statement-detail")

    assert f"{EXPECTED:,}" in list_text
    assert total == "¥7,597.34"  # the one money format (huifu.core.display.money)
    assert "铜 (cu): ¥7,597.34" in line
    assert (
        steps[0]
        == "统计区间 2024-03-01 至 2024-03-31，共 21 个交易日。 统计区间自 2024-03-01 起算，即该会员加入项目之日。"
    )
    # Intermediate figures show 4 decimals (≈); the stored step keeps the exact 61728.394506.
    assert steps[1].startswith("成交量 130,000 手，成交额 1,234,567,890.12 元，手续费 ≈61,728.3945 元")
    # 0.1 × 61 728.394506 × 100 000 ÷ 130 000 = 4 748.3380…; 0.2 × … × 30 000 ÷ 130 000 = 2 849.0028…
    assert (
        steps[3]
        == "第 1 档（0 至 100,000）：0.1 × 手续费 ≈61,728.3945 × 100,000 ÷ 130,000 = ≈4,748.3380 元（未取整）。"
    )
    assert (
        steps[4]
        == "第 2 档（100,000 及以上）：0.2 × 手续费 ≈61,728.3945 × 30,000 ÷ 130,000 = ≈2,849.0028 元（未取整）。"
    )
    assert steps[-1] == "四舍五入到分（本项唯一一次取整）：≈7,597.3409 → 7,597.34 元。"
