"""Two workers delivering the same row at once send it once (row lock held while sending).

Needs two real database connections, so the concurrent part runs on PostgreSQL; on SQLite (one
in-memory connection) the test checks the sequential case and says so."""

import threading
import time
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, connections

from huifu.outbox.delivery import Outcome, deliver
from huifu.outbox.models import OutboxMessage, OutboxStatus

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.mark.postgres
def test_concurrent_deliveries_send_exactly_once(transactional_db):
    # Created directly: in autocommit mode mail_enqueue's on-commit job would deliver at once.
    message = OutboxMessage.objects.create(to="contact@alpha.example", subject="并发", body_text="正文")
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"
        assert [deliver(message.pk), deliver(message.pk)] == [Outcome.SENT, Outcome.SKIPPED]
        assert len(mail.outbox) == 1
        return

    real_send = mail.backends.locmem.EmailBackend.send_messages
    sends = []
    lock = threading.Lock()

    def slow_send(self, messages):
        with lock:
            sends.append(messages[0].extra_headers["Message-ID"])
        time.sleep(0.3)  # the other worker arrives while this one is still "talking to SMTP"
        return real_send(self, messages)

    outcomes = []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            outcomes.append(deliver(message.pk))
        finally:
            connections.close_all()

    with mock.patch(LOCMEM_SEND, slow_send):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=10)
    assert sorted(outcomes) == sorted([Outcome.SENT, Outcome.SKIPPED])
    assert sends == [message.message_id]
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
