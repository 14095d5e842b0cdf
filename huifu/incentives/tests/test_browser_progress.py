"""In real Chromium, in Chinese: a participation shows its stepper (stages from the state machine,
who acts next, the deadline) and the member's next step as the primary button, which opens the
results form. Screenshots at 1366×900 and 390×844 into /work/notes/shots/steppers/ when that
folder exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from huifu.core.testing.browser import browser_login, open_browser

pytestmark = pytest.mark.browser
SHOTS = Path("/work/notes/shots/steppers")


def test_participation_stepper_in_chinese(chromium_available, live_server, tracking, member_a_admin, password):
    url = live_server.url + tracking.get_absolute_url()
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            assert page.get_by_test_id("stepper-current").inner_text().strip().endswith("已通过，跟踪中")
            assert page.get_by_test_id("stepper-next").inner_text().strip() == "参与单位"
            if SHOTS.is_dir():
                page.screenshot(path=str(SHOTS / f"participation-{width}.png"), full_page=True)
            button = page.get_by_test_id("next-action")
            assert button.inner_text().strip() == "提交成果申请验收"
            button.click()
            assert page.locator("details#results-box").get_attribute("open") is not None
