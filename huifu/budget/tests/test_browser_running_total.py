"""In real Chromium, in Chinese: a partner typing an invoice amount sees what is invoiced already,
this amount and the cap, and by how much it goes over, before sending (core/running_total)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from huifu.budget.services import invoice_register
from huifu.core.testing.browser import SCREENSHOTS, browser_login, open_browser

from .conftest import YESTERDAY, pdf_upload

pytestmark = pytest.mark.browser


def test_the_invoice_amount_shows_the_running_total_while_typed(
    chromium_available, live_server, alloc_a, member_a_admin, password
):
    invoice_register(
        allocation=alloc_a,
        number="55555555",
        amount="30000",
        issue_date=YESTERDAY,
        file=pdf_upload(),
        actor=member_a_admin,
    )
    folder = Path(os.environ.get("HUIFU_SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    with open_browser(width=390, height=844) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(f"{live_server.url}/budget/allocations/{alloc_a.pk}/")
        form = page.locator(f"form[action='/budget/allocations/{alloc_a.pk}/invoices/']")
        page.locator("summary", has_text="登记发票").click()
        amount = form.locator("input[name=amount]")
        amount.fill("50000")
        within = form.locator("[data-testid=cap-meter]").inner_text()
        amount.fill("80000.50")
        over = form.locator("[data-testid=cap-meter]").inner_text()
        over_class = form.locator("[data-testid=cap-meter]").get_attribute("class")
        amount.scroll_into_view_if_needed()
        page.screenshot(path=str(folder / "phone-form-invoice-running-total.png"))
    assert "已开票 30,000.00 元 + 本次 50,000.00 元 = 80,000.00 元，上限 100,000.00 元" in within, within
    assert "超出" not in within
    assert "超出上限 10,000.50 元" in over and "cap-over" in over_class, over
