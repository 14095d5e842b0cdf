"""In real Chromium: a member logs in through the login page, opens the notice list, opens a
notice, sees its body, and the read receipt is recorded."""

from __future__ import annotations

import pytest

from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.notices.models import AudienceKind, NoticeRead

pytestmark = pytest.mark.browser


def read_notice_in_browser(base_url: str, email: str, password: str, title: str, pk: int) -> dict[str, str]:
    """Log in, open the list, open the notice; return what the page showed."""
    with open_browser(width=1200) as page:
        browser_login(page, base_url, email, password)
        page.goto(f"{base_url}/notices/")
        list_badge = page.locator(f"#read-{pk} .badge").inner_text()
        page.get_by_role("link", name=title).click()
        page.wait_for_url(f"**/notices/{pk}/")
        page.wait_for_load_state("networkidle")
        screenshot(page, "notices-member-reads-notice")
        shown = {
            "list_badge": list_badge,
            "heading": page.locator("h1").inner_text(),
            "body": page.locator(".notice-body").inner_text(),
            "header": page.locator("article header").inner_text(),
        }
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
