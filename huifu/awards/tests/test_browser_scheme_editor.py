"""In real Chromium, in Chinese: the coordinator adds an indicator under 市场表现 on next year's
draft scheme; the level's sum (120 %) is highlighted. Screenshots at 1366x900 and 390x844."""

from __future__ import annotations

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot

pytestmark = pytest.mark.browser


def test_scheme_editor_in_chinese(chromium_available, live_server, coordinator, rating, password):
    from huifu.awards.services import scheme_create

    from .conftest import MEASURE_POINTS, member_tree

    scheme = scheme_create(
        actor=coordinator, programme=rating, year=2024, indicators=member_tree(), deductions=MEASURE_POINTS
    )
    secret = ensure_totp(coordinator)
    url = f"{live_server.url}/awards/schemes/{scheme.pk}/"
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(url)
        page.get_by_test_id("add-under-market").click()
        page.fill("#id_code", "cases")
        page.fill("#id_name_zh", "案例发布")
        page.fill("#id_name_en", "Cases published")
        page.fill("#id_weight", "20")
        page.select_option("#id_source", "computed")
        page.select_option("#id_metric", "cases_published")
        screenshot(page, "awards-scheme-editor-form-desktop")
        page.get_by_test_id("save").click()
        assert "指标已添加" in page.content()
        assert "120" in page.get_by_test_id("unbalanced").inner_text()
        screenshot(page, "awards-scheme-editor-desktop")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(url)
        assert "案例发布" in page.get_by_test_id("indicators").inner_text()
        screenshot(page, "awards-scheme-editor-mobile")
