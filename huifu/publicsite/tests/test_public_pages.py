"""The public face: an anonymous visitor at / sees the exchange's identity, the public notices
and cases and a way to sign in or register; only published items addressed to the public are
readable without an account (drafts, withdrawn and member-only items answer 404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.cases import services as case_services
from huifu.cases.models import CaseAudience
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.notices import services as notice_services
from huifu.notices.models import AudienceKind
from huifu.publicsite.models import SiteIdentity

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_lands_on_the_public_page(client, make_case, make_notice):
    SiteIdentity.objects.filter().update(intro_zh="交易所的会员服务平台。", phone="021-68400000")
    make_case(title="公开的铜企套保案例")
    make_notice(title="公开的投教活动通知")
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "上海期货交易所" in body and "交易所的会员服务平台。" in body and "021-68400000" in body
    assert "公开的铜企套保案例" in body and "公开的投教活动通知" in body
    assert reverse("account_login") in body and reverse("account_signup") in body
    assert "登录" in body and "注册" in body


def test_a_fresh_installation_shows_the_default_identity(client):
    body = client.get("/").content.decode()
    assert "上海期货交易所" in body and "尚无公开" in body


def test_signed_in_users_still_get_their_home(client, member_a_admin):
    login(client, member_a_admin)
    response = client.get("/")
    assert response.status_code == 200
    assert 'data-testid="landing-login"' not in response.content.decode()


def test_drafts_withdrawn_and_member_only_items_are_not_public(client, make_case, make_notice, coordinator):
    public_case = make_case(title="公开案例甲")
    members_case = make_case(title="会员专享案例乙", audience=CaseAudience.MEMBERS)
    draft_case = make_case(title="草稿案例丙", publish=False)
    withdrawn_case = case_services.case_withdraw(
        actor=coordinator, case=make_case(title="已撤回案例丁"), reason="数据有误"
    )
    public_notice = make_notice(title="公开通知甲")
    member_notice = make_notice(title="会员通知乙", audience=AudienceKind.ALL_MEMBERS)
    draft_notice = make_notice(title="草稿通知丙", publish=False)
    withdrawn_notice = notice_services.notice_withdraw(
        actor=coordinator, notice=make_notice(title="已撤回通知丁"), reason="重发"
    )
    # Allowed: the public ones, on the landing page, the lists and their own pages.
    assert client.get(reverse("publicsite:case_detail", args=[public_case.pk])).status_code == 200
    assert client.get(reverse("publicsite:notice_detail", args=[public_notice.pk])).status_code == 200
    pages = "".join(
        client.get(url).content.decode()
        for url in ("/", reverse("publicsite:case_list"), reverse("publicsite:notice_list"))
    )
    assert "公开案例甲" in pages and "公开通知甲" in pages
    # Denied: everything else, 404 alike, and never listed.
    for case in (members_case, draft_case, withdrawn_case):
        assert client.get(reverse("publicsite:case_detail", args=[case.pk])).status_code == 404
        assert case.title not in pages
    for notice in (member_notice, draft_notice, withdrawn_notice):
        assert client.get(reverse("publicsite:notice_detail", args=[notice.pk])).status_code == 404
        assert notice.title not in pages
    # The case library itself stays behind the login.
    response = client.get(reverse("cases:detail", args=[public_case.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_case_pictures_stay_behind_the_login(client, make_case):
    case = make_case(title="公开案例")
    body = client.get(reverse("publicsite:case_detail", args=[case.pk])).content.decode()
    assert "/files/" not in body and "登录后查看" in body


def test_public_lists_cost_a_constant_number_of_queries(client, make_case, make_notice):
    counter = iter(range(100))

    def grow():
        i = next(counter)
        make_case(title=f"公开案例{i}")
        make_notice(title=f"公开通知{i}")

    for url in ("/", reverse("publicsite:case_list"), reverse("publicsite:notice_list")):
        assert_constant_queries(client, url, grow)
