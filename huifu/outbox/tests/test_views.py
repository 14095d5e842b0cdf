"""The outbox page: permission matrix, filter, constant queries, retry action."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from huifu.audit.models import AuditEvent
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.outbox.delivery import deliver
from huifu.outbox.models import OutboxMessage, OutboxStatus
from huifu.outbox.services import mail_enqueue

LIST = reverse("outbox:list")
LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def _message(n=0, **kwargs):
    return mail_enqueue(to=f"user{n}@example.com", subject=f"主题{n}", body_text="正文", **kwargs)


@pytest.fixture
def failed_message(db, settings):
    settings.HUIFU_MAIL_MAX_ATTEMPTS = 1
    message = _message(99)
    with mock.patch(LOCMEM_SEND, side_effect=OSError("mail server down")):
        deliver(message.pk)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    return message


def test_operators_see_the_list(client, coordinator, msc_user, failed_message):
    for user in (coordinator, msc_user):
        response = assert_allowed(client, user, LIST)
        assert "user99@example.com" in response.content.decode()
        assert "mail server down" in response.content.decode()


def test_everyone_else_is_refused(
    client,
    dept_staff,
    dept_head,
    finance_user,
    ine_user,
    member_a_admin,
    member_b_contact,
    partner_user,
    regulator,
    public_user,
):
    for user in (
        dept_staff,
        dept_head,
        finance_user,
        ine_user,
        member_a_admin,
        member_b_contact,
        partner_user,
        regulator,
        public_user,
    ):
        assert_denied(client, user, LIST, codes=(403,))
    assert_denied(client, None, LIST)


def test_status_filter(client, coordinator, failed_message):
    other = _message(1)
    login(client, coordinator)
    body = client.get(LIST, {"status": "failed"}).content.decode()
    assert "user99@example.com" in body
    assert other.to not in body
    body = client.get(LIST, {"status": "nonsense"}).content.decode()
    assert other.to in body and "user99@example.com" in body


def test_list_runs_constant_queries(client, coordinator, org_a, member_a_admin):
    _message(0, organisation=org_a, recipient=member_a_admin)
    login(client, coordinator)

    def grow():
        for n in range(1, 6):
            _message(n, organisation=org_a, recipient=member_a_admin)

    assert_constant_queries(client, LIST, grow)


def test_list_is_paginated(client, coordinator):
    for n in range(55):
        _message(n)
    login(client, coordinator)
    response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


def test_retry_now_requeues_and_delivers(client, coordinator, failed_message, django_capture_on_commit_callbacks):
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("outbox:retry", args=[failed_message.pk]))
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


def test_retry_of_sent_message_changes_nothing(client, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _message(1)
    login(client, coordinator)
    response = client.post(reverse("outbox:retry", args=[message.pk]), follow=True)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.for_object(message).count() == 0


def test_retry_denied_changes_nothing(client, dept_staff, member_a_admin, failed_message):
    url = reverse("outbox:retry", args=[failed_message.pk])
    for user in (dept_staff, member_a_admin):
        assert_denied(client, user, url, method="post", codes=(403,))
    assert_denied(client, None, url, method="post")
    failed_message.refresh_from_db()
    assert failed_message.status == OutboxStatus.FAILED
    assert mail.outbox == []


def test_retry_unknown_message_is_404(client, coordinator):
    url = reverse("outbox:retry", args=["00000000-0000-0000-0000-000000000000"])
    assert_denied(client, coordinator, url, method="post", codes=(404,))


def test_outbox_in_navigation_only_for_operators(client, coordinator, dept_staff):
    login(client, coordinator)
    assert LIST in client.get(reverse("core:home")).content.decode()
    client.logout()
    login(client, dept_staff)
    assert LIST not in client.get(reverse("core:home")).content.decode()
    assert OutboxMessage.objects.count() == 0
