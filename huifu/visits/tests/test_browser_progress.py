"""In real Chromium, in Chinese: an arranged visit shows its stepper and the member's next step,
确认安排, as the primary button; confirming moves the stepper on. Screenshots at 1366×900 and
390×844 into /work/notes/shots/steppers/ when that folder exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from huifu.core.testing.browser import browser_login, open_browser

pytestmark = pytest.mark.browser
SHOTS = Path("/work/notes/shots/steppers")


def test_visit_stepper_in_chinese(chromium_available, live_server, make_visit, arrange, member_a_admin, password):
    visit = make_visit()
    arrange(visit)
    url = live_server.url + visit.get_absolute_url()
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, member_a_admin.email, password)
        for width, height in ((1366, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url)
            assert page.get_by_test_id("stepper-next").inner_text().strip() == "来访单位"
            assert page.get_by_test_id("next-action").inner_text().strip() == "确认安排"
            if SHOTS.is_dir():
                page.screenshot(path=str(SHOTS / f"visit-{width}.png"), full_page=True)
        page.get_by_test_id("next-action").click()
        page.wait_for_load_state()
        page.goto(url)
        assert page.get_by_test_id("stepper-status").inner_text().strip() == "已确认"
    visit.refresh_from_db()
    assert visit.status == "confirmed"
