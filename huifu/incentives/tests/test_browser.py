"""In real Chromium: a member applies for a project, staff approve and accept it, and the member
sees the accepted participation. (The member's fee-reduction statement belongs to
huifu.settlements and is not part of this test.)"""

from __future__ import annotations

import pytest

from huifu.accounts.totp import current_code
from huifu.core.testing.auth import ensure_totp
from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.incentives import services
from huifu.incentives.models import Participation

pytestmark = pytest.mark.browser


def test_member_applies_staff_accepts_member_sees_result(
    chromium_available, live_server, make_project, member_a_admin, dept_staff, password
):
    project = make_project(code="B-F01", name_zh="浏览器测试铜项目")
    secret = ensure_totp(dept_staff)
    base = live_server.url

    with open_browser(width=390, height=844) as page:  # phone width
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/incentives/projects/{project.pk}/")
        page.get_by_role("button", name="申请参与本项目").click()
        page.get_by_label("铜 (cu)").check()
        page.get_by_label("方案").fill("为铜产业链企业提供套期保值培训")
        page.get_by_role("button", name="提交").click()
        page.wait_for_selector("#participation-status")
        submitted_status = page.locator("#participation-status").inner_text()
        screenshot(page, "incentives-member-applied")

    participation = Participation.objects.get()
    assert submitted_status == participation.get_status_display() or "待审" in submitted_status
    services.participation_review(actor=dept_staff, participation=participation, approve=True, comment="同意")
    services.participation_submit_results(actor=member_a_admin, participation=participation, text="全年成果")

    with open_browser(width=1200) as page:
        browser_login(page, base, dept_staff.email, password, totp_code=lambda: current_code(secret))
        page.goto(f"{base}/incentives/participations/{participation.pk}/")
        page.locator("summary", has_text="成果验收").click()
        page.get_by_label("已验收").check()
        page.get_by_label("备注").fill("成果验收通过")
        page.get_by_role("button", name="记录结果").click()
        page.wait_for_selector("#acceptance-result")
        screenshot(page, "incentives-staff-accepted")

    participation.refresh_from_db()
    assert participation.status == "accepted" and participation.result == "accepted"

    with open_browser(width=390, height=844) as page:
        browser_login(page, base, member_a_admin.email, password)
        page.goto(f"{base}/incentives/participations/")
        page.get_by_role("link", name=member_a_admin.organisation.name_zh).click()
        page.wait_for_selector("#acceptance-result")
        result = page.locator("#acceptance-result").inner_text()
        status = page.locator("#participation-status").inner_text()
        screenshot(page, "incentives-member-sees-acceptance")

    assert "成果验收通过" in result
    assert status == "已验收"
