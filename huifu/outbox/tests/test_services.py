import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from huifu.audit.models import AuditAction, AuditEvent
from huifu.outbox.delivery import Outcome, backoff, deliver
from huifu.outbox.models import OutboxMessage, OutboxStatus
from huifu.outbox.services import OutboxRetryError, mail_enqueue, outbox_retry

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def _enqueue(**kwargs):
    defaults = {"to": "contact@alpha.example", "subject": "会员通知", "body_text": "正文"}
    defaults.update(kwargs)
    return mail_enqueue(**defaults)


class Boom(RuntimeError):
    pass


def test_committed_change_sends_once_with_stable_message_id(db, django_capture_on_commit_callbacks, org_a):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            message = _enqueue(body_html="<p>正文</p>", organisation=org_a, topic="notice")
        assert mail.outbox == []  # nothing leaves before the commit
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["contact@alpha.example"]
    assert sent.subject == "会员通知"
    assert sent.extra_headers["Message-ID"] == message.message_id
    assert sent.alternatives[0][1] == "text/html"


def test_rolled_back_change_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom), transaction.atomic():
        _enqueue()
        raise Boom
    assert callbacks == []
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


def test_invalid_address_is_refused(db):
    with pytest.raises(ValidationError) as exc:
        _enqueue(to="not-an-address")
    assert "not-an-address" in exc.value.messages[0]
    assert OutboxMessage.objects.count() == 0


def test_subject_newlines_are_flattened(db):
    message = _enqueue(subject="第一行\r\nBcc: evil@example.com")
    assert "\n" not in message.subject and "\r" not in message.subject


def test_smtp_failure_keeps_row_pending_and_later_retry_sends_exactly_once(db, django_capture_on_commit_callbacks):
    down = mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("server gone"))
    with down, django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "server gone" in message.last_error
    assert message.next_attempt_at is not None and message.next_attempt_at > timezone.now()
    assert mail.outbox == []

    # Not yet due: an early job does nothing.
    assert deliver(message.pk) == Outcome.SKIPPED
    assert mail.outbox == []

    later = message.next_attempt_at
    assert deliver(message.pk, now=later) == Outcome.SENT
    assert deliver(message.pk, now=later) == Outcome.SKIPPED
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 2
    assert len(mail.outbox) == 1


def test_second_delivery_of_sent_row_sends_nothing(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    assert len(mail.outbox) == 1
    assert deliver(message.pk) == Outcome.SKIPPED
    assert deliver(str(message.pk)) == Outcome.SKIPPED
    assert len(mail.outbox) == 1


def test_unknown_or_malformed_id_is_skipped(db):
    assert deliver("00000000-0000-0000-0000-000000000000") == Outcome.SKIPPED
    assert deliver("not-a-uuid") == Outcome.SKIPPED


def test_gives_up_after_max_attempts(db, settings):
    settings.HUIFU_MAIL_MAX_ATTEMPTS = 3
    message = _enqueue()  # no commit in this test: delivered by hand below
    now = timezone.now()
    with mock.patch(LOCMEM_SEND, side_effect=OSError("connection refused")):
        assert deliver(message.pk, now=now) == Outcome.RETRY
        message.refresh_from_db()
        assert deliver(message.pk, now=message.next_attempt_at) == Outcome.RETRY
        message.refresh_from_db()
        assert deliver(message.pk, now=message.next_attempt_at) == Outcome.GAVE_UP
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 3
    assert message.next_attempt_at is None
    assert deliver(message.pk, now=now + datetime.timedelta(days=1)) == Outcome.SKIPPED
    assert mail.outbox == []


def test_backoff_grows_and_is_capped():
    assert backoff(1) == datetime.timedelta(minutes=1)
    assert backoff(2) == datetime.timedelta(minutes=2)
    assert backoff(4) == datetime.timedelta(minutes=8)
    assert backoff(30) == datetime.timedelta(hours=6)


def test_failed_attempt_schedules_a_deferred_retry_when_backend_supports_it(db, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = _enqueue()
    with mock.patch(LOCMEM_SEND, side_effect=OSError("down")):
        assert deliver(message.pk) == Outcome.RETRY
    message.refresh_from_db()
    results = default_task_backend.results
    assert len(results) == 1
    assert results[0].args == [str(message.pk)]
    assert results[0].task.run_after == message.next_attempt_at


def test_attachments_are_sent_from_stored_files(db, member_a_admin, org_a, pdf_upload):
    from huifu.files.services import file_store

    stored = file_store(upload=pdf_upload("年报.pdf"), actor=member_a_admin, organisation=org_a, purpose="test")
    message = _enqueue(attachments=[stored])
    assert message.attachment_ids == [str(stored.pk)]
    assert deliver(message.pk) == Outcome.SENT
    (name, content, content_type) = mail.outbox[0].attachments[0]
    assert name == "年报.pdf"
    assert content.startswith(b"%PDF")
    assert content_type == "application/pdf"


def test_missing_attachment_counts_as_a_failed_attempt(db):
    message = _enqueue(attachments=["00000000-0000-0000-0000-000000000001"])
    assert deliver(message.pk) == Outcome.RETRY
    message.refresh_from_db()
    assert message.attempts == 1
    assert "does not exist" in message.last_error
    assert mail.outbox == []


def test_rendered_attachments_are_made_at_sending_in_their_place(db, member_a_admin, org_a, pdf_upload):
    from huifu.files.services import file_store
    from huifu.outbox import rendered

    calls = []

    def note(argument):
        calls.append(argument)
        return f"说明-{argument}.txt", f"第 {argument} 号".encode(), "text/plain"

    rendered.register("test.note", note)
    stored = file_store(upload=pdf_upload("年报.pdf"), actor=member_a_admin, organisation=org_a, purpose="test")
    message = _enqueue(attachments=[rendered.Rendered("test.note", "7"), stored])
    assert message.attachment_ids == ["render:test.note:7", str(stored.pk)] and calls == []  # not yet
    assert deliver(message.pk) == Outcome.SENT
    assert calls == ["7"]
    assert [(a[0], a[2]) for a in mail.outbox[0].attachments] == [
        ("说明-7.txt", "text/plain"),
        ("年报.pdf", "application/pdf"),
    ]


def test_a_rendered_attachment_whose_record_is_gone_fails_the_attempt(db):
    from huifu.outbox import rendered

    def gone(argument):
        raise LookupError(f"record {argument} does not exist")

    rendered.register("test.gone", gone)
    for reference in (rendered.Rendered("test.gone", "1"), rendered.Rendered("no.such.kind", "1")):
        message = _enqueue(attachments=[reference])
        assert deliver(message.pk) == Outcome.RETRY
        message.refresh_from_db()
        assert message.attempts == 1 and ("does not exist" in message.last_error or "no renderer" in message.last_error)
    assert mail.outbox == []
    with pytest.raises(ValueError):
        rendered.register("bad:kind", gone)


def test_retry_puts_failed_message_back_and_audits(db, coordinator, django_capture_on_commit_callbacks, settings):
    settings.HUIFU_MAIL_MAX_ATTEMPTS = 1
    message = _enqueue()
    with mock.patch(LOCMEM_SEND, side_effect=OSError("down")):
        assert deliver(message.pk) == Outcome.GAVE_UP
    message.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        outbox_retry(message=message, actor=coordinator)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.for_object(message).get()
    assert event.action == AuditAction.TRANSITION
    assert event.actor == coordinator
    assert event.changes["status"] == ["failed", "pending"]


def test_retry_refuses_a_message_that_has_not_failed(db, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _enqueue()
    with pytest.raises(OutboxRetryError):
        outbox_retry(message=message, actor=coordinator)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.for_object(message).count() == 0
