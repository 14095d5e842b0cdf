"""In real Chromium: a member submits a form → the coordinator assigns an item and sends a
written reply → the member reads the reply."""

from __future__ import annotations

import re

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.servicedesk.models import FeedbackForm

pytestmark = pytest.mark.browser


def test_submit_assign_reply_read(
    chromium_available, live_server, official_calendar, member_a_admin, coordinator, dept_staff, dept_business, password
):
    base = live_server.url
    with open_browser(width=420) as page:  # phone width
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/feedback/new/")
        page.fill("input[name=contact_name]", "甲联系人")
        page.fill("input[name=phone]", "021-68400000")
        page.fill("input[name=email]", "contact@alpha.example")
        page.fill("textarea[name=suggestions]", "1．建议扩大铜期货交割库容\n2．建议下调期权做市商手续费")
        page.fill("textarea[name=help_requests]", "希望协助解决交易系统接口测试环境问题")
        page.get_by_test_id("submit-feedback").click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".errorlist").count() == 0, page.locator("form").inner_text()
        page.wait_for_url(re.compile(r".*/feedback/\d+/$"))
        assert "001" in page.locator("h1").inner_text()
        screenshot(page, "servicedesk-member-submitted")
    form = FeedbackForm.objects.get()
    item = form.items.get(kind="suggestion", number=1)

    secret = ensure_totp(coordinator)
    with open_browser(width=1200) as page:
        browser_login(page, base, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{base}/queue/")
        assert "建议扩大铜期货交割库容" in page.content()
        page.goto(f"{base}{item.get_absolute_url()}")
        page.select_option("select[name=owner]", str(dept_staff.pk))
        page.check(f"input[name=departments][value='{dept_business.pk}']")
        page.get_by_test_id("assign").click()
        page.wait_for_load_state("networkidle")
        assert dept_staff.full_name in page.content()
        page.goto(f"{base}{form.get_absolute_url()}")
        page.get_by_test_id("compose-summary").click()
        page.fill("textarea[name=text]", "关于交割库容：交易所将于年内新增铜期货交割库容。")
        page.get_by_test_id("save-reply").click()
        page.wait_for_load_state("networkidle")
        page.get_by_test_id("send-reply").click()
        page.wait_for_load_state("networkidle")
        screenshot(page, "servicedesk-coordinator-sent")
    form.refresh_from_db()
    assert form.status == "replied"

    with open_browser(width=420) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/feedback/")
        page.get_by_role("link", name=f"{form.year}-001").click()
        page.wait_for_load_state("networkidle")
        text = page.get_by_test_id("reply-text").inner_text()
        screenshot(page, "servicedesk-member-reads-reply")
        assert "交易所将于年内新增铜期货交割库容" in text
        assert (
            page.get_by_role("link", name="答复函（PDF）").count()
            + page.get_by_role("link", name="Reply letter (PDF)").count()
            == 1
        )
