"""In real Chromium: a member opens the year calendar on a desktop and on a phone, and uses the
calculator. Screenshots go to screenshots/ for a human to look at."""

from __future__ import annotations

import pytest

from huifu.core.testing.browser import browser_login, open_browser, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("official_calendar")]


def browse_calendar(base_url: str, email: str, password: str) -> dict[str, object]:
    shown: dict[str, object] = {}
    with open_browser() as page:
        browser_login(page, base_url, email, password)
        page.goto(f"{base_url}/calendar/2023/")
        shown["october_7"] = page.locator("td[title^='2023-10-07']").get_attribute("class")
        shown["october_2"] = page.locator("td[title^='2023-10-02']").get_attribute("class")
        screenshot(page, "workdays-year-2023")

        page.fill("#id_start", "2023-09-28")
        page.fill("#id_days", "2")
        page.get_by_role("button", name="计算").click()
        page.wait_for_url("**/calendar/calculator/**")
        shown["result"] = page.locator("[data-testid=result-date]").inner_text()

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base_url}/calendar/2030/")
        shown["warning"] = page.locator(".warning-box").first.inner_text()
        shown["overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        screenshot(page, "workdays-year-2030-phone")
        page.goto(f"{base_url}/calendar/calculator/?start=2030-09-30&days=2")
        screenshot(page, "workdays-calculator-phone")
    return shown


def test_member_reads_the_calendar_on_desktop_and_phone(chromium_available, live_server, member_a_contact, password):
    shown = browse_calendar(live_server.url, member_a_contact.email, password)
    assert "wd-makeup_workday" in shown["october_7"]
    assert "wd-holiday" in shown["october_2"]
    assert shown["result"].startswith("2023-10-08")
    assert "2030" in shown["warning"]
    assert shown["overflow"] <= 0, "the year page scrolls sideways on a phone"
