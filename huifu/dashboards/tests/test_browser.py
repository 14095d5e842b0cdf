"""In real Chromium, in Chinese, at 1366x900 and 390x844: the management dashboard (charts drawn,
a table beside each chart, Chinese labels whole, no sideways scroll of the page) and a member
company's own dashboard (its figures only). Screenshots: dashboards-*.png."""

from __future__ import annotations

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot

from .conftest import YEAR

pytestmark = pytest.mark.browser


def test_management_and_member_dashboards(chromium_available, live_server, year_data, dept_head, password):
    managers = {
        1366: (year_data.coordinator, ensure_totp(year_data.coordinator)),
        390: (dept_head, ensure_totp(dept_head)),
    }
    base = live_server.url
    for width, height in ((1366, 900), (390, 844)):
        user, secret = managers[width]
        with open_browser(width=width, height=height) as page:
            browser_login(page, base, user.email, password, totp_code=lambda s=secret: current_code(s))
            page.goto(f"{base}/dashboards/management/?year={YEAR}")
            assert page.locator("h1").inner_text().startswith("年度概览")
            charts = page.locator("svg.dashboard-chart")
            assert charts.count() >= 15
            box = charts.first.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100
            assert page.locator("[data-testid=panel-feedback-months] table tbody tr").count() == 13
            assert "3月" in page.locator("[data-testid=panel-feedback-months] table").inner_text()
            assert "按时答复" in page.content()
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            screenshot(page, f"dashboards-management-{width}")
            page.locator("#plans-region").scroll_into_view_if_needed()
            page.screenshot(
                path=str(screenshot(page, f"dashboards-management-{width}").with_name(f"dashboards-plans-{width}.png")),
                full_page=False,
            )
        with open_browser(width=width, height=height) as page:
            browser_login(page, base, year_data.a_admin.email, password)
            page.goto(f"{base}/dashboards/company/?year={YEAR}")
            text = page.content()
            assert "本公司年度概览" in text and "甲期货有限公司" in text
            assert "乙期货" not in text
            assert page.locator("[data-testid=panel-sessions]").count() == 0
            assert page.locator("svg.dashboard-chart").count() >= 8
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
            screenshot(page, f"dashboards-company-{width}")


def test_awards_panels_in_chinese(chromium_available, live_server, awards_year, coordinator, member_a_admin, password):
    """The management dashboard's awards panel (chart and table) and member A's own awards: its
    published results and certificate, never B's."""
    from huifu.dashboards.tests.test_awards import YEAR as AWARDS_YEAR

    base = live_server.url
    secret = ensure_totp(coordinator)
    with open_browser(width=1366, height=900) as page:
        browser_login(page, base, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{base}/dashboards/management/?year={AWARDS_YEAR}")
        panel = page.locator("[data-testid=panel-awards]")
        assert panel.locator("svg.dashboard-chart").count() == 1
        assert panel.locator("table tbody tr").count() == 4  # three programmes and the total
        assert "会员评优" in panel.inner_text()
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot(page, "dashboards-awards-1366")), full_page=False)
        # The coordinator's department (Member Management) organises the rating and the selection.
        page.goto(f"{base}/dashboards/department/?year={AWARDS_YEAR}")
        department = page.locator("[data-testid=panel-awards]")
        assert "会员评优" in department.inner_text() and department.locator("table tbody tr").count() == 4
        department.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot(page, "dashboards-awards-department-1366")), full_page=False)
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        department.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot(page, "dashboards-awards-department-390")), full_page=False)
    with open_browser(width=390, height=844) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/dashboards/company/?year={AWARDS_YEAR}")
        certificates = page.locator("[data-testid=panel-awards-certificates]")
        assert awards_year.analyst_winner.number in certificates.inner_text()
        assert awards_year.rating_winner.number not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.locator("#awards").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot(page, "dashboards-awards-company-390")), full_page=False)
        certificates.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot(page, "dashboards-awards-certificates-390")), full_page=False)
