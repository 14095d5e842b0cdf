import datetime
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from huifu.outbox.models import OutboxMessage, OutboxStatus
from huifu.outbox.services import mail_enqueue

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def _pending(n):
    # Enqueued without a commit (test transaction): the rows stay pending, like after a queue outage.
    return mail_enqueue(to=f"user{n}@example.com", subject="主题", body_text="正文")


def test_flush_sync_delivers_due_messages_once(db):
    messages = [_pending(n) for n in range(3)]
    out = StringIO()
    call_command("outbox_flush", "--sync", stdout=out)
    assert "3 due" in out.getvalue()
    assert len(mail.outbox) == 3
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    call_command("outbox_flush", "--sync", stdout=StringIO())
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {m.to for m in messages}


def test_flush_skips_messages_not_yet_due(db):
    message = _pending(1)
    with mock.patch(LOCMEM_SEND, side_effect=OSError("down")):
        call_command("outbox_flush", "--sync", stdout=StringIO())
    message.refresh_from_db()
    assert message.attempts == 1
    out = StringIO()
    call_command("outbox_flush", "--sync", stdout=out)
    assert "nothing due" in out.getvalue()
    assert mail.outbox == []
    # Once due (the backoff passed), the next run delivers it.
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))
    call_command("outbox_flush", "--sync", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_flush_enqueues_jobs_by_default(db):
    _pending(1)
    out = StringIO()
    call_command("outbox_flush", stdout=out)  # the immediate backend runs the job at once
    assert "enqueued: 1" in out.getvalue()
    assert len(mail.outbox) == 1
