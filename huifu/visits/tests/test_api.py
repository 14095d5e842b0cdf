"""The visits API: permission matrix, isolation, error envelope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.visits.models import VisitRequest, VisitStatus

from .conftest import REQUEST

pytestmark = pytest.mark.django_db

ALL = [
    "anonymous",
    "public_user",
    "member_a_admin",
    "member_b_admin",
    "partner_user",
    "regulator",
    "dept_staff",
    "coordinator",
]


def persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("name", ALL)
def test_list(request, client, official_calendar, make_visit, name):
    visit = make_visit()
    user = persona(request, name)
    url = reverse("api-visit-list")
    if name in {"member_a_admin", "member_b_admin", "partner_user", "dept_staff", "coordinator"}:
        data = assert_allowed(client, user, url).json()
        ids = [row["id"] for row in data["results"]]
        assert ids == ([visit.pk] if name in {"member_a_admin", "dept_staff", "coordinator"} else [])
    else:
        assert_denied(client, user, url, codes=(403,))


@pytest.mark.parametrize("name", ALL)
def test_create(request, client, official_calendar, name):
    user = persona(request, name)
    url = reverse("api-visit-list")
    if name in {"member_a_admin", "member_b_admin", "partner_user"}:
        response = assert_allowed(
            client, user, url, method="post", data=REQUEST, ok=(201,), content_type="application/json"
        )
        assert response.json()["organisation_id"] == user.organisation_id
    else:
        assert_denied(client, user, url, method="post", data=REQUEST, codes=(403,), content_type="application/json")
        assert not VisitRequest.objects.exists()


def test_create_bad_input_is_400_with_fields(client, official_calendar, member_a_admin):
    response = assert_allowed(
        client,
        member_a_admin,
        reverse("api-visit-list"),
        method="post",
        data={"purpose": "", "visitor_count": "x"},
        ok=(400,),
        content_type="application/json",
    )
    assert {"purpose", "visitor_count"} <= set(response.json()["error"]["fields"])


@pytest.mark.parametrize("name", ALL)
def test_detail(request, client, official_calendar, make_visit, name):
    visit = make_visit()
    user = persona(request, name)
    url = reverse("api-visit-detail", args=[visit.pk])
    if name in {"member_a_admin", "dept_staff", "coordinator"}:
        assert assert_allowed(client, user, url).json()["id"] == visit.pk
    else:
        assert_denied(client, user, url, codes=(403, 404))


def test_full_flow_through_the_api(client, official_calendar, make_visit, coordinator, member_a_admin, member_b_admin):
    visit = make_visit()
    arrange = reverse("api-visit-arrange", args=[visit.pk])
    payload = {
        "starts_at": "2030-10-10T14:00:00+08:00",
        "ends_at": "2030-10-10T16:00:00+08:00",
        "place": "会议室",
        "attendees": [coordinator.pk],
    }
    assert_denied(
        client, member_a_admin, arrange, method="post", data=payload, codes=(403,), content_type="application/json"
    )
    data = assert_allowed(
        client, coordinator, arrange, method="post", data=payload, content_type="application/json"
    ).json()
    assert data["status"] == "arranged" and data["attendees"][0]["email"] == coordinator.email
    confirm = reverse("api-visit-confirm", args=[visit.pk])
    assert_denied(client, member_b_admin, confirm, method="post", codes=(404,))
    assert assert_allowed(client, member_a_admin, confirm, method="post").json()["status"] == "confirmed"
    again = assert_allowed(client, member_a_admin, confirm, method="post", ok=(400,)).json()
    assert again["error"]["code"] == "illegal_transition"  # the domain code reaches the client
    change = reverse("api-visit-change", args=[visit.pk])
    assert_allowed(
        client, member_a_admin, change, method="post", data={"reason": ""}, ok=(400,), content_type="application/json"
    )
    out = assert_allowed(
        client, member_a_admin, change, method="post", data={"reason": "改期"}, content_type="application/json"
    ).json()
    assert out["status"] == "change_requested"
    cancel = reverse("api-visit-cancel", args=[visit.pk])
    assert_denied(
        client,
        member_b_admin,
        cancel,
        method="post",
        data={"reason": "x"},
        codes=(404,),
        content_type="application/json",
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CHANGE_REQUESTED
