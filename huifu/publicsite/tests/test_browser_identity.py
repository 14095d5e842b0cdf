"""In real Chromium, in Chinese, at 1366×900 and 390×844: after a second exchange's profile is
loaded (data only), the public site and the header show its logo and names, the footer its
hotline (and the announced one) — for a visitor and for the coordinator, whose desktop header
stays one row. Screenshots: ``screenshots/identity-*``."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from huifu.accounts.system import system_actor
from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.publicsite.services import exchange_profile_load, profile_read

pytestmark = pytest.mark.browser

SIZES = [(1366, 900, "1366"), (390, 844, "390")]
OLD = ("上海期货交易所", "上期所", "SHFE")


def _header_rows(page: Any) -> dict[str, float]:
    return page.evaluate(
        """() => Object.fromEntries(['.nav-bar', '#main-menu', '#header-tools'].map(s => {
            const b = document.querySelector(s).getBoundingClientRect();
            return [s, Math.round(b.top + b.height / 2)];
        }))"""
    )


def test_the_second_exchange_shows_in_the_public_site_and_the_header(
    chromium_available, live_server, coordinator, password
):
    data, base = profile_read("dce")
    exchange_profile_load(actor=system_actor(), profile=data, base_dir=base, year=timezone.localdate().year)
    secret = ensure_totp(coordinator)
    seen: dict[str, Any] = {}
    with open_browser(width=1366, height=900) as page:
        url = live_server.url
        for width, height, label in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url + "/")
            page.wait_for_load_state("networkidle")
            seen[f"{label}-landing"] = page.locator("body").inner_text()
            seen[f"{label}-logo"] = page.evaluate(
                "[...document.querySelectorAll('img.brand-logo, img.public-logo')].map(i => i.naturalWidth)"
            )
            seen[f"{label}-overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            screenshot(page, f"identity-dce-public-{label}")
        page.set_viewport_size({"width": 1366, "height": 900})
        browser_login(page, url, coordinator.email, password, totp_code=lambda: current_code(secret))
        for width, height, label in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(url + "/")
            page.wait_for_load_state("networkidle")
            seen[f"{label}-brand"] = page.get_by_test_id("brand").inner_text()
            seen[f"{label}-footer"] = page.get_by_test_id("site-footer").inner_text()
            seen[f"{label}-rows"] = _header_rows(page)
            seen[f"{label}-home-overflow"] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            screenshot(page, f"identity-dce-home-{label}")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto(url + "/identity/")
        seen["page"] = page.locator("main").inner_text()
        screenshot(page, "identity-dce-staff-page-1366")

    for _w, _h, label in SIZES:
        landing = seen[f"{label}-landing"]
        assert "大连商品交易所" in landing and "会员服务与投资者教育平台" in landing
        assert "0411-84801111" in landing and "400-860-0411" in landing
        assert not [name for name in OLD if name in landing], label
        assert seen[f"{label}-logo"] and all(w > 0 for w in seen[f"{label}-logo"]), label  # the logo loads
        assert "大商所" in seen[f"{label}-brand"] and "会服" in seen[f"{label}-brand"]
        assert "大连商品交易所" in seen[f"{label}-footer"] and "0411-84801111" in seen[f"{label}-footer"]
        assert seen[f"{label}-overflow"] <= 0 and seen[f"{label}-home-overflow"] <= 0, label
    rows = seen["1366-rows"]
    assert max(rows.values()) - min(rows.values()) <= 12, rows  # the desktop header stays one row
    assert "交易所信息" in seen["page"] and "大商所" in seen["page"]
