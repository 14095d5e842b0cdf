"""The home page ("my work") of each role in real Chromium, in Chinese, at desktop (1366×900)
and phone (390×844) width: the role's cards are there with their counts, nothing overflows the
phone's width. Screenshots go to ``HUIFU_SHOTS_DIR`` (default ``screenshots/``) as
``home-<role>-desktop.png`` / ``home-<role>-phone.png``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import SCREENSHOTS, browser_login, open_browser
from huifu.core.tests.test_home import _notices, _submit_form, _tracked

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1366, 900)

# role fixture -> a card title the role must see
EXPECTED = {
    "member_a_admin": "会员之声",
    "member_a_contact": "通知公告",
    "coordinator": "我的待办",
    "dept_staff": "我的待办",
    "finance_user": "付款",
    "partner_user": "合作举办市场活动",
    "regulator": "通知公告",
}


def _shot(page, name: str) -> None:
    folder = Path(os.environ.get("HUIFU_SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_home_of_each_role(
    chromium_available, live_server, request, role, password, coordinator, member_a_admin, dept_business, org_a
):
    user = request.getfixturevalue(role)
    _notices(coordinator, 8)
    _submit_form(member_a_admin)
    staff = user.kind == "staff"
    for days in (-2, -1, 1, 2, 10):
        _tracked(organisation=org_a, due_in_days=days, owner=user if staff else None, department=dept_business)
    totp = None
    if staff or user.kind == "regulator":  # both sign in with a second factor
        secret = ensure_totp(user)
        totp = lambda: current_code(secret)  # noqa: E731
    with open_browser(width=DESKTOP[0], height=DESKTOP[1]) as page:
        browser_login(page, live_server.url, user.email, password, totp_code=totp)
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        cards = page.locator("article.home-card")
        assert cards.count() >= 1
        titles = " ".join(cards.locator("header h2").all_inner_texts())
        assert EXPECTED[role] in titles, titles
        if role == "member_a_contact":
            notices = page.locator("article[data-card='notices.unread']")
            assert notices.locator(".home-count").first.inner_text() == "8"
        _shot(page, f"home-{role}-desktop")
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE[0], f"the home is {width}px wide on a {PHONE[0]}px phone"
        _shot(page, f"home-{role}-phone")
