"""In real Chromium, in Chinese: a member types a word in the header's search box, presses Enter
and sees its company's records grouped by kind, with counts and "more" links; company B's
record with the same word is not there. Desktop (1366×900) and phone (390×844); screenshots go
to /work/notes/shots/search/ when that folder's parent exists (else the test's tmp dir)."""

from __future__ import annotations

from pathlib import Path

import pytest

from huifu.core.testing.browser import browser_login, open_browser
from huifu.notices.models import AudienceKind

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def _folder(tmp_path: Path) -> Path:
    notes = Path("/work/notes/shots")
    folder = notes / "search" if notes.exists() else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_header_search_in_chinese(
    chromium_available, live_server, tmp_path, password, member_a_admin, member_b_admin, make_activity, submit,
    make_notice,
):  # fmt: skip
    make_activity(member_a_admin, title="铜产业链风险管理论坛")
    submit(suggestions=["建议扩大铜期货交割库容"], help_requests=["希望协助铜期权做市系统测试"])
    make_notice(title="关于铜期货交割仓库检查的通知", audience_kind=AudienceKind.ALL_MEMBERS)
    make_activity(member_b_admin, title="乙公司铜期货培训")
    folder = _folder(tmp_path)
    base = live_server.url

    with open_browser(**DESKTOP) as page:
        browser_login(page, base, member_a_admin.email, password)
        box = page.locator("header #site-search")
        box.fill("铜")
        with page.expect_navigation():
            box.press("Enter")
        assert "/search/?q=" in page.url
        main = page.locator("main").inner_text()
        page.screenshot(path=str(folder / "search-results-desktop.png"), full_page=True)
        kinds = page.locator("section.search-group").evaluate_all("els => els.map(e => e.dataset.kind)")
        # Bad input: only punctuation answers a message, not a 500.
        page.goto(f"{base}/search/?q=%EF%BC%8C%E3%80%82")
        problem = page.locator("#search-problem").inner_text()
        page.screenshot(path=str(folder / "search-bad-input-desktop.png"), full_page=True)

    assert {"activities", "feedback_forms", "feedback_items", "notices"} <= set(kinds)
    assert "铜产业链风险管理论坛" in main and "关于铜期货交割仓库检查的通知" in main
    assert "乙公司铜期货培训" not in main
    assert "市场活动" in main  # group headings in Chinese
    assert "搜索" in problem or "字" in problem

    with open_browser(**PHONE) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/notices/")
        box = page.locator("header #site-search")
        if not box.is_visible():  # at phone width the header's tools sit behind the menu button
            page.locator("label.nav-toggle-button").click()
        page.screenshot(path=str(folder / "search-box-phone.png"), full_page=False)
        box.fill("铜")
        with page.expect_navigation():
            box.press("Enter")
        page.screenshot(path=str(folder / "search-results-phone.png"), full_page=True)
        phone_main = page.locator("main").inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
    assert "铜产业链风险管理论坛" in phone_main
    assert width <= PHONE["width"], f"the results page scrolls sideways on a phone ({width}px)"
