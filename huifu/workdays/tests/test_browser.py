"""In real Chromium: a member opens the year calendar on a desktop and on a phone, and uses the
calculator. Screenshots go to screenshots/ for a human to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in this thread; ORM calls stay outside the browser session.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("official_calendar")]


@pytest.fixture
def chromium_available() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("HUIFU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and HUIFU_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")


def browse_calendar(base_url: str, email: str, password: str) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    shown: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(f"{base_url}/accounts/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", password)
            page.click("form[action='/accounts/login/'] button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)

            SCREENSHOTS.mkdir(exist_ok=True)
            page.goto(f"{base_url}/calendar/2023/")
            shown["october_7"] = page.locator("td[title^='2023-10-07']").get_attribute("class")
            shown["october_2"] = page.locator("td[title^='2023-10-02']").get_attribute("class")
            page.screenshot(path=str(SCREENSHOTS / "workdays-year-2023.png"), full_page=True)

            page.fill("#id_start", "2023-09-28")
            page.fill("#id_days", "2")
            page.get_by_role("button", name="计算").click()
            page.wait_for_url("**/calendar/calculator/**")
            shown["result"] = page.locator("[data-testid=result-date]").inner_text()

            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(f"{base_url}/calendar/2030/")
            shown["warning"] = page.locator(".warning-box").first.inner_text()
            shown["overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.screenshot(path=str(SCREENSHOTS / "workdays-year-2030-phone.png"), full_page=True)
            page.goto(f"{base_url}/calendar/calculator/?start=2030-09-30&days=2")
            page.screenshot(path=str(SCREENSHOTS / "workdays-calculator-phone.png"), full_page=True)
            context.close()
        finally:
            browser.close()
    return shown


def test_member_reads_the_calendar_on_desktop_and_phone(chromium_available, live_server, member_a_contact, password):
    shown = browse_calendar(live_server.url, member_a_contact.email, password)
    assert "wd-makeup_workday" in shown["october_7"]
    assert "wd-holiday" in shown["october_2"]
    assert shown["result"].startswith("2023-10-08")
    assert "2030" in shown["warning"]
    assert shown["overflow"] <= 0, "the year page scrolls sideways on a phone"
