"""In real Chromium, under the Content-Security-Policy: key pages load without a single CSP
violation, and the behaviours that used to be inline scripts still work."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser
from huifu.core.testing.factories import ContactFactory

pytestmark = pytest.mark.browser

# Records every violation the browser reports (init scripts are not subject to the page's CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _violations(page):
    return page.evaluate("window.__cspViolations")


def test_key_pages_load_without_csp_violations(chromium_available, live_server, coordinator, org_a, org_b, password):
    secret = ensure_totp(coordinator)
    contact = ContactFactory(organisation=org_a, name="待删除联系人")
    pages = [
        reverse("core:home"),
        reverse("directory:organisation_list"),
        reverse("directory:organisation_detail", args=[org_a.pk]),
        reverse("directory:departments"),
        reverse("directory:liaisons"),
        reverse("notices:create"),
        reverse("accounts:profile"),
        reverse("api-docs"),
    ]
    found: dict[str, list[str]] = {}
    console: list[str] = []
    with open_browser() as page:
        page.add_init_script(LISTEN)
        page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        policy = page.goto(live_server.url + reverse("core:home")).headers.get("content-security-policy", "")
        for path in pages:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            found[path] = _violations(page)
        swagger_loaded = page.goto(live_server.url + reverse("api-docs")) and page.wait_for_selector(
            ".swagger-ui .info", timeout=15_000
        )

        # data-filter-options (was an inline oninput): typing hides the other organisations.
        page.goto(live_server.url + reverse("notices:create"))
        page.fill("#org-search", "甲期货")
        select_id = page.get_attribute("#org-search", "data-filter-options")
        hidden = page.evaluate(
            "id => Array.from(document.getElementById(id).options).filter(o => o.hidden).length", select_id
        )
        shown = page.evaluate(
            "id => Array.from(document.getElementById(id).options).filter(o => !o.hidden).map(o => o.text)",
            select_id,
        )

        # data-confirm (was an inline onsubmit): removing a contact asks first; "cancel" keeps it.
        page.goto(live_server.url + reverse("directory:organisation_detail", args=[org_a.pk]))
        dialogs: list[str] = []
        page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.locator(f"form[action='{reverse('directory:contact_delete', args=[contact.pk])}'] button").click()
        page.wait_for_timeout(300)
        still_on_page = page.url.endswith(reverse("directory:organisation_detail", args=[org_a.pk]))

        # data-autosubmit (was an inline onchange): the language switch works.
        with page.expect_navigation():  # the form posts, then the redirect loads the page again
            page.select_option("#lang-select", "en")
        page.wait_for_load_state("networkidle")
        english = page.locator("html").get_attribute("lang")
        found["after interactions"] = _violations(page)

    assert "script-src 'self'" in policy and "unsafe" not in policy.split("script-src")[1].split(";")[0]
    assert {path: v for path, v in found.items() if v} == {}
    assert console == []
    assert swagger_loaded
    assert shown and all("甲期货" in text for text in shown) and hidden >= 1
    assert dialogs and still_on_page
    assert english == "en"
