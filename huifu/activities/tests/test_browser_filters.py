"""The filter bars drawn from the lists' FilterSets (core/_filter_fields.html), in Chinese, on a
desktop and a phone: a member's activity list and feedback list, one of them with a bad value."""

from __future__ import annotations

import pytest

from huifu.core.testing.browser import browser_login, open_browser, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_filter_bars_in_chinese(chromium_available, live_server, make_activity, member_a_admin, password):
    make_activity(member_a_admin)
    for width, height in ((1366, 900), (390, 844)):
        with open_browser(width=width, height=height) as page:
            browser_login(page, live_server.url, member_a_admin.email, password)
            page.goto(live_server.url + "/activities/?status=submitted&q=论坛")
            assert page.locator("select[name=status]").input_value() == "submitted"
            screenshot(page, f"filters-activities-{width}")
            page.goto(live_server.url + "/activities/?year=20x5")
            assert page.locator("#id_year_errors").is_visible()
            screenshot(page, f"filters-activities-bad-year-{width}")
            page.goto(live_server.url + "/feedback/?status=open&channel=portal")
            assert page.locator("select[name=channel]").input_value() == "portal"
            screenshot(page, f"filters-feedback-member-{width}")
