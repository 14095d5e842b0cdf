"""Enqueueing with the job queue down: the change is kept, the failure is flagged (the view says
"delayed"), and outbox_flush delivers from its own process."""

from __future__ import annotations

import io
from unittest import mock

from django.core import mail
from django.core.management import call_command

from huifu.core.jobs import enqueue_failed, enqueue_on_commit, reset_enqueue_failed
from huifu.outbox.models import OutboxMessage, OutboxStatus
from huifu.outbox.services import mail_enqueue
from huifu.outbox.tasks import deliver_message

BACKEND_ENQUEUE = "django_tasks.backends.immediate.ImmediateBackend.enqueue"
QUEUE_DOWN = ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_failed_enqueue_is_flagged_and_logged_once(db, django_capture_on_commit_callbacks, caplog):
    reset_enqueue_failed()
    with mock.patch(BACKEND_ENQUEUE, side_effect=QUEUE_DOWN), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(deliver_message, "x")
    assert enqueue_failed()
    assert [r.levelname for r in caplog.records if r.name == "huifu.jobs"] == ["WARNING"]
    assert not any(r.exc_info for r in caplog.records if r.name == "huifu.jobs")  # no traceback per mail
    reset_enqueue_failed()
    assert not enqueue_failed()


def test_outbox_flush_delivers_here_when_the_queue_is_down(db, django_capture_on_commit_callbacks):
    with mock.patch(BACKEND_ENQUEUE, side_effect=QUEUE_DOWN):
        with django_capture_on_commit_callbacks(execute=True):
            mail_enqueue(to="a@alpha.example", subject="s", body_text="b")
        out, err = io.StringIO(), io.StringIO()
        call_command("outbox_flush", stdout=out, stderr=err)
    assert "the job queue is unavailable" in err.getvalue() and "sent: 1" in out.getvalue()
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT and len(mail.outbox) == 1
