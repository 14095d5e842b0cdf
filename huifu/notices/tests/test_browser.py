"""In real Chromium: a member logs in through the login page, opens the notice list, opens a
notice, sees its body, and the read receipt is recorded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from huifu.notices.models import AudienceKind, NoticeRead

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls under a running
# loop unless told otherwise. The test still keeps every ORM call outside the browser session:
# under the loop, asgiref gives the thread a second database connection that would outlive the test.
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

pytestmark = pytest.mark.browser


@pytest.fixture
def chromium_available() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("HUIFU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and HUIFU_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")


def read_notice_in_browser(base_url: str, email: str, password: str, title: str, pk: int) -> dict[str, str]:
    """Log in, open the list, open the notice; return what the page showed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)

            page.goto(f"{base_url}/accounts/login/")
            page.fill("input[name=login]", email)
            page.fill("input[name=password]", password)
            page.click("form[action='/accounts/login/'] button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)

            page.goto(f"{base_url}/notices/")
            list_badge = page.locator(f"#read-{pk} .badge").inner_text()
            page.get_by_role("link", name=title).click()
            page.wait_for_url(f"**/notices/{pk}/")
            page.wait_for_load_state("networkidle")

            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "notices-member-reads-notice.png"), full_page=True)
            shown = {
                "list_badge": list_badge,
                "heading": page.locator("h1").inner_text(),
                "body": page.locator(".notice-body").inner_text(),
                "header": page.locator("article header").inner_text(),
            }
            context.close()
        finally:
            browser.close()
    return shown


def test_member_logs_in_and_reads_a_notice(
    chromium_available, live_server, make_notice, member_a_contact, password, org_a
):
    notice = make_notice(
        doc_number="上期发〔2023〕61号",
        title="关于开展2023年“上期强源助企”项目的通知",
        body="各会员单位：\n\n项目激励以手续费减收方式兑现。\n\n特此通知。",
        audience_kind=AudienceKind.ORGANISATIONS,
        audience_organisations=[org_a],
    )
    assert not NoticeRead.objects.filter(notice=notice, user=member_a_contact).exists()

    shown = read_notice_in_browser(live_server.url, member_a_contact.email, password, notice.title, notice.pk)

    assert shown["list_badge"] == "未读"
    assert shown["heading"] == notice.title
    assert "项目激励以手续费减收方式兑现。" in shown["body"]
    assert "上期发〔2023〕61号" in shown["header"]
    assert "已读" in shown["header"]
    receipt = NoticeRead.objects.get(notice=notice, user=member_a_contact)
    assert receipt.organisation_id == org_a.pk
