"""In real Chromium, in Chinese: the feedback form page shows its progress (stepper, next actor,
deadline) and the coordinator's next action as the primary button, which opens the reply form;
the history below reads as words. Screenshots at 1366×900 and 390×844 into
/work/notes/shots/history/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from huifu.accounts.totp import current_code
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser
from huifu.core.texts import stored_text
from huifu.servicedesk import services

pytestmark = pytest.mark.browser

SHOTS = Path("/work/notes/shots/history")


def _shot(page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_form_page_progress_and_history_in_chinese(
    chromium_available, live_server, submit, coordinator, dept_staff, dept_business, password
):
    form = submit()
    item = form.items.order_by("number").first()
    services.item_assign(item=item, owner=dept_staff, departments=[dept_business], actor=coordinator)
    audit_record(
        actor=coordinator,
        action=AuditAction.UPDATE,
        target=form,
        changes={"channel": ["portal", "email"]},
        message=stored_text("Approved: %(amount)s CNY.", amount="30,000.00"),
    )
    secret = ensure_totp(coordinator)
    base = live_server.url
    # One sign-in (a TOTP code is good once), then the same page at desktop and phone width.
    with open_browser(width=1366, height=900) as page:
        browser_login(page, base, coordinator.email, password, totp_code=lambda: current_code(secret))
        for width, height, name in ((1366, 900, "form-detail-1366"), (390, 844, "form-detail-390")):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{base}{form.get_absolute_url()}")
            assert page.get_by_test_id("stepper").is_visible()
            assert page.get_by_test_id("stepper-current").inner_text().strip().endswith("办理中")
            assert page.get_by_test_id("stepper-next").inner_text().strip() == "承办部门"
            assert page.get_by_test_id("stepper-due").is_visible()
            history = page.locator(".audit-history").inner_text()
            assert "idempotency" not in history.lower() and "批准金额 30,000.00 元。" in history
            _shot(page, name)
            button = page.get_by_test_id("next-action")
            assert button.inner_text().strip() == "撰写答复"
            button.click()
            assert page.locator("details#compose").get_attribute("open") is not None
            assert page.locator("#compose textarea[name=text]").is_visible()
