"""In real Chromium, in Chinese: a practitioner who attended one session on site and one online
sees the hours, enters hours from another provider with a certificate; the member admin sees who
is short and decides. Screenshots (1366 and 390 px) go to screenshots/ for a human to look at."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from huifu.core.testing.browser import browser_login, open_browser, screenshot
from huifu.credits.models import ClaimState, ExternalClaim

from .helpers import PDF, attend_on_site, attend_online, grant, session

pytestmark = pytest.mark.browser


@pytest.fixture
def attended(coordinator, practitioner_a, member_a_contact):
    today = timezone.localdate()
    on_site = session(today - datetime.timedelta(days=20), title="期货法律法规与职业道德专题培训")
    online = session(today - datetime.timedelta(days=5), title="期权交易策略线上培训", mode="online")
    grant(coordinator, on_site, law="3")
    grant(coordinator, online, professional="3.5", online_mode="pro_rata")
    attend_on_site(on_site, practitioner_a)
    attend_online(online, practitioner_a, minutes=180)
    return on_site, online


def test_practitioner_and_admin(
    chromium_available, live_server, attended, practitioner_a, member_a_admin, password, tmp_path
):
    certificate = tmp_path / "培训证书.pdf"
    certificate.write_bytes(PDF)
    for width, height, suffix in ((1366, 900, "desktop"), (390, 844, "phone")):
        with open_browser(width=width, height=height) as page:
            browser_login(page, live_server.url, practitioner_a.email, password)
            page.goto(live_server.url + "/credits/")
            assert page.locator("h1").first.inner_text() == "我的学时"
            assert page.get_by_text("期权交易策略线上培训").count() == 1
            screenshot(page, f"credits-mine-{suffix}")
            if suffix == "desktop":
                page.goto(live_server.url + "/credits/claims/new/")
                page.fill("input[name=provider]", "中国期货业协会")
                page.fill("input[name=course_title]", "期货从业人员职业道德网络课程")
                page.fill("input[name=completed_on]", (timezone.localdate() - datetime.timedelta(days=3)).isoformat())
                page.select_option("select[name=category]", label="法律法规与职业道德")
                page.fill("input[name=hours]", "500")
                page.set_input_files("input[name=evidence]", str(certificate))
                page.get_by_role("button", name="保存").click()
                page.wait_for_selector("text=已上传")
                screenshot(page, "credits-claim-error-desktop")
                page.fill("input[name=hours]", "2")
                page.get_by_role("button", name="保存").click()
                page.wait_for_selector("text=学时已申报")
                screenshot(page, "credits-claim-entered-desktop")
    assert ExternalClaim.objects.get().state == ClaimState.SUBMITTED
    claim_id = ExternalClaim.objects.get().pk
    for width, height, suffix in ((1366, 900, "desktop"), (390, 844, "phone")):
        with open_browser(width=width, height=height) as page:
            browser_login(page, live_server.url, member_a_admin.email, password)
            page.goto(live_server.url + "/credits/company/")
            assert page.get_by_text("张晓明").count() >= 1
            screenshot(page, f"credits-company-{suffix}")
            if suffix == "phone":
                page.goto(live_server.url + f"/credits/claims/{claim_id}/")
                page.get_by_label("认可", exact=True).check()
                screenshot(page, "credits-claim-decide-phone")
                page.get_by_role("button", name="提交审核结果").click()
                page.wait_for_selector("text=审核结果已记录")
    assert ExternalClaim.objects.get().state == ClaimState.APPROVED


def test_staff_edit_rules_and_session_hours(chromium_available, live_server, attended, coordinator, password):
    from huifu.accounts.totp import current_code
    from huifu.core.testing.auth import ensure_totp

    on_site, _online = attended
    secret = ensure_totp(coordinator)
    with open_browser(width=1366, height=900) as page:
        browser_login(page, live_server.url, coordinator.email, password, totp_code=lambda: current_code(secret))
        page.goto(live_server.url + "/credits/rules/")
        assert page.get_by_text("种子数据：请与现行规则核对").count() >= 1
        screenshot(page, "credits-rules-desktop")
        page.goto(live_server.url + f"/credits/sessions/{on_site.pk}/")
        page.fill("input[name=hours_2]", "1.5") if page.locator("input[name=hours_2]").count() else None
        screenshot(page, "credits-session-hours-desktop")
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("text=场次学时已保存")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "credits-sessions-phone")
