from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "/queue/"


def test_url_name():
    assert reverse("tracking:queue") == URL


def test_permission_matrix(
    client, coordinator, dept_staff, dept_head, member_a_admin, member_b_admin, partner_user, regulator, public_user
):
    for user in (coordinator, dept_staff, dept_head):
        assert_allowed(client, user, URL)
    assert_denied(client, None, URL)
    for user in (member_a_admin, member_b_admin, partner_user, regulator, public_user):
        assert_denied(client, user, URL, codes=(403,))


def test_staff_see_their_own_and_their_departments_items_coordinator_sees_all(
    client, open_item, coordinator, dept_staff, dept_business, msc_user, org_a, org_b
):
    open_item(target=org_a, title="甲公司事项", department=dept_business)
    open_item(target=org_b, title="乙公司事项", owner=msc_user)
    login(client, dept_staff)
    body = client.get(URL).content.decode()
    assert "甲公司事项" in body and "乙公司事项" not in body
    login(client, msc_user)
    body = client.get(URL).content.decode()
    assert "乙公司事项" in body and "甲公司事项" not in body
    login(client, coordinator)
    body = client.get(URL).content.decode()
    assert "甲公司事项" in body and "乙公司事项" in body


def test_overdue_stand_out_and_filters(client, open_item, coordinator, org_a, org_b):
    open_item(target=org_a, title="早已逾期", received_at=at(2023, 9, 28), organisation=org_a)
    open_item(target=org_b, title="尚未到期", received_at=at(2030, 1, 2), organisation=org_b)
    login(client, coordinator)
    body = client.get(URL).content.decode()
    assert 'class="overdue"' in body and body.index("早已逾期") < body.index("尚未到期")
    body = client.get(URL, {"status": "overdue"}).content.decode()
    assert "早已逾期" in body and "尚未到期" not in body
    body = client.get(URL, {"organisation": org_b.pk}).content.decode()
    assert "早已逾期" not in body and "尚未到期" in body
    body = client.get(URL, {"status": "bogus"}).content.decode()  # bad filter: no 500
    assert "早已逾期" in body


def test_constant_queries(client, open_item, coordinator, dept_business, dept_staff):
    open_item(target=OrganisationFactory(), department=dept_business, owner=dept_staff)
    login(client, coordinator)

    def grow():
        for _ in range(5):
            open_item(target=OrganisationFactory(), department=dept_business, owner=dept_staff)

    client.get(URL)  # the topic filter's choices are cached (selectors.queue_topics)
    assert_constant_queries(client, URL, grow)


def test_every_assigned_department_sees_the_item(
    client, open_item, dept_staff, msc_user, ine_user, dept_business, dept_msc, coordinator
):
    from huifu.tracking.services import tracked_assign

    item = open_item(title="两个部门的事项", department=dept_business)
    tracked_assign(item=item, departments=[dept_business, dept_msc], actor=coordinator)
    for user in (dept_staff, msc_user):
        login(client, user)
        body = client.get(URL).content.decode()
        assert "两个部门的事项" in body
        assert "两个部门的事项" in client.get(URL, {"department": dept_msc.pk}).content.decode()
    login(client, ine_user)
    assert "两个部门的事项" not in client.get(URL).content.decode()


def test_constant_queries_for_department_staff(client, open_item, dept_business, dept_msc, msc_user, coordinator):
    from huifu.tracking.services import tracked_assign

    def add():
        item = open_item(target=OrganisationFactory(), department=dept_business)
        tracked_assign(item=item, departments=[dept_business, dept_msc], actor=coordinator)

    add()
    login(client, msc_user)

    def grow():
        for _ in range(5):
            add()

    client.get(URL)  # the topic filter's choices are cached (selectors.queue_topics)
    assert_constant_queries(client, URL, grow)
    assert client.get(URL).content.decode().count('href="/x/"') >= 1
