"""In real Chromium, in Chinese, at phone width (390×844) and desktop width (1366×900):

- the header is one bar (brand + 菜单) on the phone; the menu, search box, bell and account
  open below it, full width, with one tap (no JS needed: a checkbox and its label);
- lists are cards on the phone, each cell labelled with its column's name;
- a phone field refuses "abc" with a message naming what to type.

Screenshots of home, a list and a form at both widths go to ``HUIFU_SHOTS_DIR`` (default
``screenshots/``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from huifu.core.testing.browser import SCREENSHOTS, browser_login, open_browser
from huifu.notices.models import AudienceKind
from huifu.notices.services import notice_create_draft, notice_publish

pytestmark = pytest.mark.browser

PHONE = (390, 844)
DESKTOP = (1366, 900)


def _shot(page, name: str) -> None:
    folder = Path(os.environ.get("HUIFU_SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


@pytest.fixture
def notices(coordinator):
    for n in range(3):
        notice = notice_create_draft(
            actor=coordinator,
            title=f"关于做好2026年第{n + 1}季度会员服务工作的通知",
            body="各会员单位：\n\n请按期报送。",
            audience_kind=AudienceKind.ALL_MEMBERS,
        )
        notice_publish(actor=coordinator, notice=notice, notify=False)


def test_phone_header_is_one_bar_and_lists_are_cards(
    chromium_available, live_server, member_a_contact, password, notices
):
    seen: dict[str, object] = {}
    with open_browser(width=PHONE[0], height=PHONE[1]) as page:
        browser_login(page, live_server.url, member_a_contact.email, password)
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        seen["header_height"] = page.locator("header.site-header").bounding_box()["height"]
        seen["menu_hidden"] = not page.locator("#main-menu").is_visible()
        seen["button"] = page.locator(".nav-toggle-button").inner_text()
        _shot(page, "phone-home")
        page.locator(".nav-toggle-button").click()
        seen["menu_shown"] = page.locator("#main-menu").is_visible()
        seen["tools_shown"] = page.locator("#header-tools").is_visible()
        seen["menu_width"] = page.locator("#main-menu").bounding_box()["width"]
        seen["search_shown"] = (
            page.locator("#header-tools input[type=search]").count() == 0
            or page.locator("#header-tools input[type=search]").is_visible()
        )
        _shot(page, "phone-home-menu-open")

        page.goto(live_server.url + "/notices/")
        page.wait_for_load_state("networkidle")
        first_cell = page.locator("table.table-cards tbody tr").first.locator("td").first
        seen["cell_label"] = first_cell.get_attribute("data-label")
        seen["label_shown"] = page.evaluate(
            "cell => getComputedStyle(cell, '::before').content", first_cell.element_handle()
        )
        seen["thead_hidden"] = page.locator("table.table-cards thead").bounding_box()["height"] <= 1
        seen["no_sideways_scroll"] = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        _shot(page, "phone-list-notices")

        page.goto(live_server.url + "/accounts/profile/")
        page.fill("input[name=phone]", "abc")
        seen["phone_type"] = page.locator("input[name=phone]").get_attribute("type")
        page.locator("form:has(input[name=phone]) button[type=submit]").first.click()
        page.wait_for_load_state("networkidle")
        seen["phone_error"] = page.locator("form:has(input[name=phone])").inner_text()
        _shot(page, "phone-form-profile-error")

    assert seen["header_height"] < 88, seen  # was 300 of 844 px
    assert seen["menu_hidden"] and seen["button"].strip().endswith("菜单")
    assert seen["menu_shown"] and seen["tools_shown"] and seen["search_shown"]
    assert seen["menu_width"] > 330  # full width
    assert seen["cell_label"] and seen["cell_label"] in seen["label_shown"]
    assert seen["thead_hidden"] and seen["no_sideways_scroll"]
    assert seen["phone_type"] == "tel"
    assert "请输入电话号码" in seen["phone_error"]
    member_a_contact.refresh_from_db()
    assert member_a_contact.phone != "abc"


def test_desktop_header_shows_the_menu_without_a_button(
    chromium_available, live_server, member_a_contact, password, notices
):
    with open_browser(width=DESKTOP[0], height=DESKTOP[1]) as page:
        browser_login(page, live_server.url, member_a_contact.email, password)
        page.goto(live_server.url + "/")
        page.wait_for_load_state("networkidle")
        menu_shown = page.locator("#main-menu").is_visible()
        button_shown = page.locator(".nav-toggle-button").is_visible()
        _shot(page, "desktop-home")
        page.goto(live_server.url + "/notices/")
        header_row_shown = page.locator("table.table-cards thead").is_visible()
        _shot(page, "desktop-list-notices")
        page.goto(live_server.url + "/accounts/profile/")
        _shot(page, "desktop-form-profile")
    assert menu_shown and not button_shown
    assert header_row_shown
