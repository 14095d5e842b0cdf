"""In real Chromium, from application to payment: the industry association applies and submits
→ the coordinator approves a lower amount from the pool → the association reports the activity
held, uploads a photo and submits the summary → a department head accepts the summary → the
association registers its invoice (a real PDF) → Finance records the bank transfer.

Each staff user logs in once (allauth refuses a TOTP code reused within 30 seconds); ORM calls
stay outside the browser blocks (see huifu.core.testing.browser)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A5
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from huifu.accounts.totp import current_code
from huifu.activities.models import Activity, ActivityStatus
from huifu.budget.models import Invoice, Payment
from huifu.budget.selectors import pool_list
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot

from .conftest import LAST_WEEK, PNG_BYTES, TODAY

pytestmark = pytest.mark.browser

S = ActivityStatus
TITLE = "铜产业链风险管理论坛（宁波）"


def invoice_pdf(path: Path, *, number: str, amount: str, buyer: str, seller: str) -> Path:
    """A small but real one-page PDF invoice, drawn with reportlab."""
    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    c = canvas.Canvas(str(path), pagesize=A5)
    c.setFont(font, 14)
    c.drawString(40, 360, "电子发票（普通发票）")
    c.setFont(font, 10)
    for i, line in enumerate(
        [
            f"发票号码：{number}",
            f"开票日期：{TODAY:%Y-%m-%d}",
            f"购买方：{buyer}",
            f"销售方：{seller}",
            f"价税合计：¥{amount}",
        ]
    ):
        c.drawString(40, 330 - 18 * i, line)
    c.showPage()
    c.save()
    return path


def submit(page: Any, form: Any) -> None:
    """Click the form's submit button, wait for the next page, and check it shows no form errors."""
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    errors = page.locator(".errorlist")
    assert errors.count() == 0, errors.all_inner_texts()


def pool_figures(pool: Any, staff: Any) -> Any:
    """The pool as the budget pages see it (annotated committed, paid, remaining)."""
    return pool_list(user=staff, year=pool.year).get(pk=pool.pk)


def test_application_to_payment(
    chromium_available,
    live_server,
    official_calendar,
    tmp_path,
    password,
    partner_user,
    coordinator,
    dept_head,
    finance_user,
    forum_type,
    pool,
):
    base = live_server.url
    before = pool_figures(pool, finance_user)
    assert before.paid == 0 and before.remaining == pool.amount

    # 1. The association applies and submits (phone width).
    with open_browser(width=420) as page:
        browser_login(page, base, partner_user.email, password)
        page.goto(f"{base}/activities/new/")
        page.select_option("select[name=activity_type]", str(forum_type.pk))
        page.fill("input[name=title]", TITLE)
        page.fill("input[name=theme]", "服务实体经济")
        page.fill("textarea[name=plan]", "开幕致辞、主题演讲、圆桌讨论、交流。")
        page.fill("input[name=starts_on]", LAST_WEEK.isoformat())
        page.fill("input[name=ends_on]", LAST_WEEK.isoformat())
        page.fill("input[name=venue]", "宁波国际会议中心")
        page.fill("textarea[name=co_organisers]", "宁波市有色金属行业协会")
        page.fill("textarea[name=speakers]", "上期所专家、行业研究员")
        page.fill("input[name=audience_industry]", "120")
        page.fill("input[name=audience_institutions]", "30")
        page.fill("input[name=line_item_0]", "场地费")
        page.fill("input[name=line_amount_0]", "80000")
        page.fill("input[name=line_item_1]", "专家费")
        page.fill("input[name=line_amount_1]", "40000")
        screenshot(page, "activities-1-application-form")
        submit(page, page.locator("form:has(input[name=title])"))
        page.wait_for_url(re.compile(r".*/activities/\d+/$"))
        submit(page, page.locator("#submit-box form"))
        screenshot(page, "activities-2-submitted")

    activity = Activity.objects.get(title=TITLE)
    assert activity.status == S.SUBMITTED and activity.organisation_id == partner_user.organisation_id
    assert activity.requested_amount == Decimal("120000.00")
    detail = f"{base}{activity.get_absolute_url()}"

    # 2. The coordinator approves 100,000 of the 120,000 asked for, from the pool.
    secret = ensure_totp(coordinator)
    with open_browser() as page:
        browser_login(page, base, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(detail)
        form = page.locator("#review-box form[action$='/approve/']")
        form.locator("select[name=pool]").select_option(str(pool.pk))
        form.locator("input[name=amount]").fill("100000.00")
        form.locator("textarea[name=comment]").fill("同意举办，专家费按标准核减。")
        submit(page, form)
        screenshot(page, "activities-3-approved")

    activity.refresh_from_db()
    assert activity.status == S.APPROVED and activity.approved_amount == Decimal("100000.00")

    # 3. The association reports the activity held, uploads a photo and submits the summary.
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG_BYTES)
    with open_browser(width=420) as page:
        browser_login(page, base, partner_user.email, password)
        page.goto(detail)
        with page.expect_navigation():
            page.locator("#mark-held").click()
        files = page.locator("#summary-box form[action$='/files/']")
        files.locator("select[name=role]").select_option("photo")
        files.locator("input[name=upload]").set_input_files(str(photo))
        submit(page, files)
        summary = page.locator("#summary-box form[action$='/summary/']")
        summary.locator("input[name=attendance_industry]").fill("132")
        summary.locator("input[name=attendance_institutions]").fill("27")
        summary.locator("textarea[name=summary]").fill("论坛如期举办，产业客户参与踊跃，会后形成交流纪要。")
        summary.locator("textarea[name=media_links]").fill("https://www.shfe.com.cn/news/")
        submit(page, summary)
        screenshot(page, "activities-4-summary-submitted")

    activity.refresh_from_db()
    assert activity.status == S.SUMMARY_SUBMITTED
    assert activity.actual_attendance["industry"] == 132 and activity.files.filter(role="photo").count() == 1

    # 4. A department head accepts the summary (another staff user: no TOTP reuse).
    head_secret = ensure_totp(dept_head)
    with open_browser() as page:
        browser_login(page, base, dept_head.email, password, totp_code=lambda: current_code(head_secret))
        page.goto(detail)
        form = page.locator("#summary-review-box form")
        form.locator("input[name=decision][value=accept]").check()
        form.locator("textarea[name=comment]").fill("总结材料齐全。")
        submit(page, form)
        screenshot(page, "activities-5-summary-accepted")

    activity.refresh_from_db()
    assert activity.status == S.SUMMARY_ACCEPTED

    # 5. The association registers its invoice (a real PDF, the exchange as buyer).
    number = "25312000000012345678"
    pdf = invoice_pdf(
        tmp_path / "发票.pdf",
        number=number,
        amount="100000.00",
        buyer=pool.payer_name,
        seller=partner_user.organisation.name_zh,
    )
    with open_browser(width=420) as page:
        browser_login(page, base, partner_user.email, password)
        page.goto(detail)
        with page.expect_navigation():
            page.locator("#allocation-link").click()
        page.locator("details:has(form[action$='/invoices/']) > summary").click()
        form = page.locator("form[action$='/invoices/']")
        form.locator("input[name=number]").fill(number)
        form.locator("input[name=amount]").fill("100000.00")
        form.locator("input[name=issue_date]").fill(TODAY.isoformat())
        assert form.locator("input[name=buyer_name]").input_value() == pool.payer_name
        form.locator("input[name=file]").set_input_files(str(pdf))
        submit(page, form)
        assert number in page.locator("table").first.inner_text()
        screenshot(page, "activities-6-invoice-registered")
        allocation_url = page.url

    activity.refresh_from_db()
    invoice = Invoice.objects.get(number=number)
    assert activity.status == S.INVOICED and invoice.amount == Decimal("100000.00")
    assert invoice.file.organisation_id == partner_user.organisation_id

    # 6. Finance records the bank transfer to the association's corporate account.
    finance_secret = ensure_totp(finance_user)
    with open_browser() as page:
        browser_login(page, base, finance_user.email, password, totp_code=lambda: current_code(finance_secret))
        page.goto(allocation_url)
        page.locator("#record-payment > summary").click()
        form = page.locator("form[action$='/payments/']")
        assert form.locator("input[name=payee_name]").input_value() == partner_user.organisation.name_zh
        form.locator("input[name=bank_name]").fill("中国工商银行上海分行")
        form.locator("input[name=bank_account]").fill("1001234567890123456")
        form.locator("input[name=amount]").fill("100000.00")
        form.locator("input[name=paid_on]").fill(TODAY.isoformat())
        form.locator("input[name=reference]").fill("HX20250001")
        submit(page, form)
        assert page.locator("#payable").inner_text().strip() == "¥0.00"
        screenshot(page, "activities-7-paid-allocation")
        page.goto(detail)
        screenshot(page, "activities-8-paid-activity")

    activity.refresh_from_db()
    assert activity.status == S.PAID
    payment = Payment.objects.get()
    assert payment.amount == Decimal("100000.00") and payment.paid_on == TODAY
    assert payment.payee_name == partner_user.organisation.name_zh
    after = pool_figures(pool, finance_user)
    assert after.paid == before.paid + Decimal("100000.00")
    assert after.committed == Decimal("100000.00") and after.remaining == pool.amount - Decimal("100000.00")
    assert list(activity.steps.exclude(target="").values_list("target", flat=True)) == [
        S.DRAFT,
        S.SUBMITTED,
        S.APPROVED,
        S.HELD,
        S.SUMMARY_SUBMITTED,
        S.SUMMARY_ACCEPTED,
        S.INVOICED,
        S.PAID,
    ]
