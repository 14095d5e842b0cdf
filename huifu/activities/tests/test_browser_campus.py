"""In real Chromium, in Chinese: a member applies for a campus activity (the co-hosted
activities programme, campus kind) naming the university, submits it, and reads it — at 1366
and at phone width (390). Screenshots: campus-*.png."""

from __future__ import annotations

import pytest

from huifu.activities.models import Activity
from huifu.core.testing.browser import browser_login, open_browser, screenshot

from .conftest import LAST_WEEK
from .test_campus import campus_type, university  # noqa: F401

pytestmark = pytest.mark.browser

TITLE = "走进同济大学：期货与衍生品公开课"


def test_member_applies_for_a_campus_activity(
    chromium_available,
    live_server,
    campus_type,  # noqa: F811
    university,  # noqa: F811
    member_a_admin,
    password,
):
    base = live_server.url
    with open_browser(width=1366, height=900) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/activities/new/")
        page.get_by_label("活动类型").select_option(label=str(campus_type))
        page.get_by_label("标题").fill(TITLE)
        page.get_by_label("举办高校（校园活动）").select_option(label="同济大学")
        page.get_by_label("开始日期").fill(LAST_WEEK.isoformat())
        page.get_by_label("结束日期").fill(LAST_WEEK.isoformat())
        page.get_by_label("举办地点").fill("同济大学四平路校区")
        page.locator("input[name=audience_students]").fill("200")
        page.locator("input[name=line_item_0]").fill("讲师费")
        page.locator("input[name=line_amount_0]").fill("30000")
        screenshot(page, "campus-apply-1366")
        page.get_by_role("button", name="保存草稿").click()
        page.wait_for_selector("#activity-status")

    activity = Activity.objects.get()
    assert activity.university == university
    for width, height in ((1366, 900), (390, 844)):
        with open_browser(width=width, height=height) as page:
            browser_login(page, base, member_a_admin.email, password)
            page.goto(f"{base}/activities/{activity.pk}/")
            page.wait_for_selector("#activity-status")
            assert "同济大学" in page.content() and "校园人才培养" in page.content()
            screenshot(page, f"campus-detail-{width}")
