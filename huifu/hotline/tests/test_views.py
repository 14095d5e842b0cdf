"""Hotline pages and API: permission matrix, the footer number, query counts, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.hotline.models import FollowUpStatus, HotlineCall, HotlineSetting

pytestmark = pytest.mark.django_db

ALL = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "msc_user",
    "coordinator",
]
STAFF = {"dept_staff", "msc_user", "coordinator"}
LOGGERS = {"msc_user", "coordinator"}


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("name", ALL)
def test_list_and_detail(request, client, official_calendar, make_call, name):
    call = make_call()
    user = persona(request, name)
    for url in (reverse("hotline:list"), reverse("hotline:detail", args=[call.pk]), reverse("hotline:settings")):
        if name in STAFF:
            assert_allowed(client, user, url)
        else:
            assert_denied(client, user, url, codes=(403,))


@pytest.mark.parametrize("name", ALL)
def test_log_call(request, client, official_calendar, dept_staff, name):
    user = persona(request, name)
    url = reverse("hotline:create")
    data = {
        "caller_name": "陈先生",
        "topic": "fees",
        "question": "手续费减收如何申请？",
        "follow_up_needed": "on",
        "follow_up_owner": dept_staff.pk,
    }
    if name in LOGGERS:
        assert_allowed(client, user, url)
        assert_allowed(client, user, url, method="post", data=data, ok=(302,))
        assert HotlineCall.objects.get().follow_up_status == FollowUpStatus.OPEN
    else:
        assert_denied(client, user, url, codes=(403,))
        assert_denied(client, user, url, method="post", data=data, codes=(403,))
        assert not HotlineCall.objects.exists()


def test_log_call_bad_input_shows_field_errors(client, official_calendar, msc_user):
    login(client, msc_user)
    response = client.post(reverse("hotline:create"), {"caller_name": "", "topic": "x", "follow_up_needed": "on"})
    assert response.status_code == 200
    assert {"caller_name", "topic", "question"} <= set(response.context["form"].errors)
    response = client.post(
        reverse("hotline:create"), {"caller_name": "a", "topic": "fees", "question": "q", "follow_up_needed": "on"}
    )
    assert "follow_up_owner" in response.context["form"].errors
    assert not HotlineCall.objects.exists()


@pytest.mark.parametrize("name", ALL)
def test_close_follow_up(request, client, official_calendar, make_call, dept_staff, name):
    call = make_call(follow_up_needed=True, follow_up_owner=dept_staff)
    user = persona(request, name)
    url = reverse("hotline:close_follow_up", args=[call.pk])
    if name in STAFF:
        assert_allowed(client, user, url, method="post", data={"note": "已回复"}, ok=(302,))
        call.refresh_from_db()
        assert call.follow_up_status == FollowUpStatus.DONE
    else:
        assert_denied(client, user, url, method="post", data={"note": "x"}, codes=(403,))
        call.refresh_from_db()
        assert call.follow_up_status == FollowUpStatus.OPEN


def test_staff_of_another_department_cannot_close(client, official_calendar, make_call, dept_staff, finance_user):
    call = make_call(follow_up_needed=True, follow_up_owner=dept_staff)
    assert_denied(
        client,
        finance_user,
        reverse("hotline:close_follow_up", args=[call.pk]),
        method="post",
        data={"note": "x"},
        codes=(403,),
    )
    call.refresh_from_db()
    assert call.follow_up_status == FollowUpStatus.OPEN


@pytest.mark.parametrize("name", ["dept_staff", "msc_user"])
def test_setting_post(request, client, name):
    user = persona(request, name)
    data = {"number": "400-820-3618", "effective_from": "2030-01-01", "follow_up_working_days": 3}
    if name == "msc_user":
        assert_allowed(client, user, reverse("hotline:settings"), method="post", data=data, ok=(302,))
        assert HotlineSetting.objects.count() == 2
    else:
        assert_denied(client, user, reverse("hotline:settings"), method="post", data=data, codes=(403,))
        assert HotlineSetting.objects.count() == 1


@pytest.mark.parametrize("name", ["anonymous", "member_a_admin", "coordinator"])
def test_footer_shows_the_number_in_force(request, client, name):
    user = persona(request, name)
    client.logout()
    if user is not None:
        login(client, user)
    page = client.get(reverse("account_login") if user is None else reverse("core:home"), follow=True)
    assert "800-820-3618" in page.content.decode()
    assert 'href="tel:8008203618"' in page.content.decode()


def test_list_runs_constant_queries(client, official_calendar, make_call, dept_staff, org_a, msc_user):
    make_call()
    login(client, msc_user)

    def grow():
        for _ in range(3):
            make_call(organisation=org_a, follow_up_needed=True, follow_up_owner=dept_staff)

    assert_constant_queries(client, reverse("hotline:list"), grow)


@pytest.mark.parametrize("name", ALL)
def test_api_calls(request, client, official_calendar, make_call, name):
    call = make_call()
    user = persona(request, name)
    list_url = reverse("api-hotline-call-list")
    detail_url = reverse("api-hotline-call-detail", args=[call.pk])
    data = {"caller_name": "王女士", "question": "交割流程？", "topic": "delivery"}
    if name in STAFF:
        assert [r["id"] for r in assert_allowed(client, user, list_url).json()["results"]] == [call.pk]
        assert_allowed(client, user, detail_url)
    else:
        assert_denied(client, user, list_url, codes=(403,))
        assert_denied(client, user, detail_url, codes=(403,))
    if name in LOGGERS:
        assert_allowed(client, user, list_url, method="post", data=data, ok=(201,), content_type="application/json")
        assert HotlineCall.objects.count() == 2
    else:
        assert_denied(client, user, list_url, method="post", data=data, codes=(403,), content_type="application/json")
        assert HotlineCall.objects.count() == 1


def test_api_bad_input_and_number(client, msc_user):
    response = assert_allowed(
        client,
        msc_user,
        reverse("api-hotline-call-list"),
        method="post",
        data={"caller_name": "", "follow_up_needed": True},
        ok=(400,),
        content_type="application/json",
    )
    assert "question" in response.json()["error"]["fields"]
    assert client.get(reverse("api-hotline-number")).json()["number"] == "800-820-3618"
    client.logout()
    assert client.get(reverse("api-hotline-number")).status_code == 401
