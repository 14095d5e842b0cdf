"""Permission matrix: every page × persona, allowed and denied; a denied write changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.servicedesk.models import FeedbackItem, FormStatus

pytestmark = pytest.mark.django_db

STAFF = ("dept_staff", "dept_head", "coordinator")
MEMBERS_A = ("member_a", "member_a_contact")
OUTSIDERS = ("partner", "regulator", "public")


def test_lists(client, personas):
    for url in (reverse("servicedesk:feedback_list"),):
        assert_denied(client, None, url)
        for name in STAFF + MEMBERS_A + ("member_b",):
            assert_allowed(client, personas[name], url)
        for name in OUTSIDERS:
            assert_denied(client, personas[name], url, codes=(403,))
    for url in (
        reverse("servicedesk:reports"),
        reverse("servicedesk:report_export"),
        reverse("servicedesk:topic_list"),
    ):
        assert_denied(client, None, url)
        for name in STAFF:
            assert_allowed(client, personas[name], url)
        for name in MEMBERS_A + ("member_b",) + OUTSIDERS:
            assert_denied(client, personas[name], url, codes=(403,))
    url = reverse("servicedesk:feedback_new")
    for name in MEMBERS_A + ("member_b",):
        assert_allowed(client, personas[name], url)
    for name in STAFF + OUTSIDERS:
        assert_denied(client, personas[name], url, codes=(403,))


def test_form_detail_and_item(client, personas, replied_form):
    url = replied_form.get_absolute_url()
    for name in STAFF + MEMBERS_A:
        assert_allowed(client, personas[name], url)
    assert_denied(client, None, url)
    assert_denied(client, personas["member_b"], url, codes=(404,))
    for name in OUTSIDERS:
        assert_denied(client, personas[name], url, codes=(403, 404))
    item_url = replied_form.items.first().get_absolute_url()
    for name in STAFF:
        assert_allowed(client, personas[name], item_url)
    for name in MEMBERS_A + ("member_b",) + OUTSIDERS:
        assert_denied(client, personas[name], item_url, codes=(403, 404))


def test_denied_writes_change_nothing(client, personas, submit, dept_business):
    form = submit()
    item = form.items.first()
    for name in MEMBERS_A + ("member_b", "dept_staff") + OUTSIDERS:
        assert_denied(
            client,
            personas[name],
            reverse("servicedesk:item_action", args=[item.pk, "assign"]),
            "post",
            {"owner": personas["dept_staff"].pk, "departments": [dept_business.pk]},
            codes=(403, 404),
        )
        assert_denied(
            client,
            personas[name],
            reverse("servicedesk:form_pause", args=[form.pk]),
            "post",
            {"reason": "x"},
            codes=(403, 404),
        )
        assert_denied(
            client,
            personas[name],
            reverse("servicedesk:reply_compose", args=[form.pk]),
            "post",
            {"mode": "written"},
            codes=(403, 404),
        )
    item.refresh_from_db()
    form.refresh_from_db()
    assert item.owner_id is None and form.status == FormStatus.SUBMITTED and not hasattr(form, "reply")
    assert not FeedbackItem.objects.filter(departments__isnull=False).exists()
    assert_allowed(
        client,
        personas["coordinator"],
        reverse("servicedesk:form_pause", args=[form.pk]),
        "post",
        {"reason": "请补充"},
        ok=(302,),
    )
    assert_denied(
        client,
        personas["member_b"],
        reverse("servicedesk:form_clarify", args=[form.pk]),
        "post",
        {"text": "x"},
        codes=(404,),
    )
    form.refresh_from_db()
    assert form.status == FormStatus.WAITING_MEMBER
    assert_allowed(
        client,
        personas["member_a_contact"],
        reverse("servicedesk:form_clarify", args=[form.pk]),
        "post",
        {"text": "补充说明"},
        ok=(302,),
    )
