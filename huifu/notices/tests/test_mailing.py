"""Publishing returns at once; the e-mail fan-out runs as jobs, one mail per recipient however
often a job is retried. Before: every mail was rendered and written inside the request (13 s for
1,000 recipients), and the request's queries grew with the audience."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.notices.mailing import notice_mailing_continue, notice_mailings_recover
from huifu.notices.models import AudienceKind, NoticeMailing
from huifu.notices.services import notice_publish, notice_withdraw
from huifu.notices.tasks import notice_send_mails
from huifu.outbox.models import OutboxMessage


def _members(n):
    org = OrganisationFactory()
    return org, [org_user(org) for _ in range(n)]


def _draft(make_notice, org):
    return make_notice(publish=False, audience_kind=AudienceKind.ORGANISATIONS, audience_organisations=[org])


def _publish_queries(make_notice, coordinator, audience_size, capture):
    org, _ = _members(audience_size)
    notice = _draft(make_notice, org)
    with capture(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        notice_publish(actor=coordinator, notice=notice)
    assert len(callbacks) == 1  # one fan-out job, enqueued on commit
    assert OutboxMessage.objects.count() == 0  # nothing written inside the request
    return len(queries)


def test_publication_costs_the_same_queries_for_10_and_50_recipients(
    make_notice, coordinator, django_capture_on_commit_callbacks
):
    small = _publish_queries(make_notice, coordinator, 10, django_capture_on_commit_callbacks)
    large = _publish_queries(make_notice, coordinator, 50, django_capture_on_commit_callbacks)
    assert small == large


def test_one_mail_per_recipient_in_chunks_and_a_retry_adds_none(
    make_notice, coordinator, django_capture_on_commit_callbacks
):
    org, users = _members(23)
    notice = _draft(make_notice, org)
    with mock.patch("huifu.notices.mailing.CHUNK", 5), django_capture_on_commit_callbacks(execute=True):
        notice_publish(actor=coordinator, notice=notice)
    mailing = NoticeMailing.objects.get(notice=notice)
    assert (mailing.total, mailing.queued) == (23, 23)
    assert mailing.finished_at is not None
    recipients = list(OutboxMessage.objects.values_list("recipient_id", flat=True))
    assert sorted(recipients) == sorted(u.pk for u in users)
    assert len(mail.outbox) == 23
    # A retried or duplicated job (a worker killed after the commit) writes nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_send_mails.call(notice.pk) == 0
    assert OutboxMessage.objects.count() == 23


def test_a_chunk_that_fails_midway_is_redone_exactly_once(make_notice, coordinator, django_capture_on_commit_callbacks):
    org, users = _members(12)
    notice = _draft(make_notice, org)
    with django_capture_on_commit_callbacks(execute=False):
        notice_publish(actor=coordinator, notice=notice)
    real = OutboxMessage.objects.create
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 8:
            raise RuntimeError("worker lost its database connection")
        return real(**kwargs)

    with mock.patch.object(OutboxMessage.objects, "create", side_effect=flaky), pytest.raises(RuntimeError):
        notice_mailing_continue(notice_id=notice.pk, chunk=10)
    assert OutboxMessage.objects.count() == 0  # the chunk rolled back whole
    with django_capture_on_commit_callbacks(execute=True):
        notice_mailing_continue(notice_id=notice.pk, chunk=10)
    assert sorted(OutboxMessage.objects.values_list("recipient_id", flat=True)) == sorted(u.pk for u in users)


def test_withdrawal_stops_the_mailing(make_notice, coordinator, django_capture_on_commit_callbacks):
    org, _ = _members(6)
    notice = _draft(make_notice, org)
    with django_capture_on_commit_callbacks(execute=False):
        notice_publish(actor=coordinator, notice=notice)
    with django_capture_on_commit_callbacks(execute=False):
        notice_mailing_continue(notice_id=notice.pk, chunk=2)
    notice_withdraw(actor=coordinator, notice=notice, reason="发错了")
    assert notice_mailing_continue(notice_id=notice.pk, chunk=2) == 0
    assert OutboxMessage.objects.count() == 2
    assert NoticeMailing.objects.get(notice=notice).finished_at is not None


def test_a_stalled_mailing_is_restarted_by_the_sweep(make_notice, coordinator, django_capture_on_commit_callbacks):
    org, users = _members(4)
    notice = _draft(make_notice, org)
    with django_capture_on_commit_callbacks(execute=False):  # the job was lost
        notice_publish(actor=coordinator, notice=notice)
    assert notice_mailings_recover() == 0  # not stalled yet
    later = timezone.now() + datetime.timedelta(minutes=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert notice_mailings_recover(now=later) == 1
    assert OutboxMessage.objects.count() == 4
    assert notice_mailings_recover(now=later) == 0


def test_publish_without_notify_records_no_mailing(make_notice):
    notice = make_notice(notify=False)
    assert not NoticeMailing.objects.filter(notice=notice).exists()


def test_the_publish_page_says_how_many_recipients_are_being_mailed(
    client, make_notice, coordinator, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from huifu.core.testing.auth import login

    org, _ = _members(3)
    notice = _draft(make_notice, org)
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("notices:publish", args=[notice.pk]), follow=True)
    assert "正在后台向 3 位收件人发送邮件" in response.content.decode()
    assert OutboxMessage.objects.count() == 0  # written by the job, not by the request
