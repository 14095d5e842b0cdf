"""In real Chromium, in Chinese: an anonymous visitor opens the site, sees the exchange, the
public notices and cases and the way to sign in or register, and reads a public case — on a
desktop (1366×900) and on a phone (390×844)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from huifu.cases.models import CaseAudience
from huifu.core.testing.browser import SCREENSHOTS, open_browser
from huifu.publicsite.models import SiteIdentity

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height", "label"), [(1366, 900, "desktop"), (390, 844, "phone")])
def test_anonymous_visitor_reads_a_public_case(
    chromium_available, live_server, make_case, make_notice, width, height, label
):
    # A live-server test starts from emptied tables: the identity row is written here.
    SiteIdentity.objects.update_or_create(
        singleton=True,
        defaults={
            "name_zh": "上海期货交易所",
            "intro_zh": "会服是上海期货交易所面向会员单位、产业企业和投资者的服务平台。",
            "phone": "021-68400000",
        },
    )
    case = make_case(title="期货公司助力江西铜企建立套期保值体系")
    make_case(title="会员专享：某期货公司场外期权服务", audience=CaseAudience.MEMBERS)
    make_notice(title="“大宗商品月月谈”2026年12月场报名通知")
    folder = Path(os.environ.get("HUIFU_SHOTS_DIR") or SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    with open_browser(width=width, height=height) as page:
        page.goto(live_server.url + "/")
        landing = page.locator("main").inner_text()
        login_href = page.get_by_test_id("landing-login").get_attribute("href")
        signup_href = page.get_by_test_id("landing-signup").get_attribute("href")
        page.screenshot(path=str(folder / f"{label}-landing.png"), full_page=True)
        page.get_by_role("link", name=case.title).click()
        page.wait_for_url(f"**/public/cases/{case.pk}/")
        detail = page.get_by_test_id("case-body").inner_text()
        page.screenshot(path=str(folder / f"{label}-public-case.png"), full_page=True)
    assert "上海期货交易所" in landing and "公开通知" in landing and "产业服务案例" in landing
    assert "期货公司助力江西铜企建立套期保值体系" in landing and "大宗商品月月谈" in landing
    assert "会员专享" not in landing
    assert login_href.startswith("/accounts/login/") and signup_href.startswith("/accounts/signup/")
    assert "铜企用期货锁定加工利润" in detail
