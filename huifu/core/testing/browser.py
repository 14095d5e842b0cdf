"""Browser tests in real Chromium (Debian's /usr/bin/chromium) driven by Playwright.

    from huifu.core.testing.browser import browser_login, open_browser, screenshot
    # chromium_available is a global fixture (conftest.py)

    pytestmark = pytest.mark.browser

    def test_x(chromium_available, live_server, member_a_contact, password):
        ...set up data with the ORM first...
        with open_browser() as page:
            browser_login(page, live_server.url, member_a_contact.email, password)
            page.goto(live_server.url + "/notices/")
            screenshot(page, "notices-list")
        ...assert on the database after the browser is closed...

Staff log in with TOTP: ``secret = ensure_totp(user)`` (huifu.core.testing.auth) before the
browser, then ``browser_login(..., totp_code=lambda: current_code(secret))`` (huifu.accounts.totp).
allauth refuses a code used twice in one 30-second period, so log each staff user in once per test.

Keep ORM calls outside the ``with`` block: Playwright's sync API runs an event loop in the test
thread, under which asgiref would give the thread a second database connection that outlives the
test (and breaks test-database teardown on PostgreSQL).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from .auth import wait_for_totp_window

# Django refuses ORM calls while an event loop runs in the thread unless told otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HUIFU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"


@pytest.fixture
def chromium_available() -> None:
    """Skip when Chromium is missing, except in CI (HUIFU_REQUIRE_BROWSER=1), where that fails."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("HUIFU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and HUIFU_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")


@contextmanager
def open_browser(*, width: int = 1280, height: int = 900, locale: str = "zh-CN") -> Iterator[Any]:
    """A fresh headless Chromium page; closed (with its browser) on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(15_000)
            yield page
            context.close()
        finally:
            browser.close()


def browser_login(
    page: Any, base_url: str, email: str, password: str, totp_code: Callable[[], str] | None = None
) -> None:
    """Log in through the real login page; ``totp_code`` answers the second step for staff."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form[action='/accounts/login/'] button[type=submit]")
    if totp_code is not None:
        page.wait_for_selector("input[name=code]")
        wait_for_totp_window()
        page.fill("input[name=code]", totp_code())
        page.locator("input[name=code]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/2fa/authenticate" not in url)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
