"""Delivery under faults: a worker killed mid-send, a relay that hangs.

Before: the row was locked and left ``pending`` for the whole SMTP session and marked sent only
after the session was closed, so a kill after the relay's acceptance re-sent the mail, and a
hanging relay (20 s per attempt) held a database lock that stalled every other writer."""

import datetime
import socket
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from huifu.outbox.delivery import Outcome, deliver, due_messages, outbox_recover, relay_reset
from huifu.outbox.models import OutboxMessage, OutboxStatus

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _relay_state():
    relay_reset()
    yield
    relay_reset()


def _message(**kwargs):
    return OutboxMessage.objects.create(to="contact@alpha.example", subject="故障", body_text="正文", **kwargs)


def test_the_row_is_claimed_and_committed_before_the_relay_is_contacted(transactional_db):
    message = _message()
    seen = {}
    real = LocmemBackend.send_messages

    def spy(self, messages):
        row = OutboxMessage.objects.get(pk=message.pk)
        seen.update(status=row.status, attempts=row.attempts, in_transaction=connection.in_atomic_block)
        return real(self, messages)

    with mock.patch(f"{LOCMEM}.send_messages", spy):
        assert deliver(message.pk) == Outcome.SENT
    assert seen == {"status": OutboxStatus.SENDING, "attempts": 1, "in_transaction": False}


def test_the_row_is_marked_sent_before_the_smtp_session_is_closed(transactional_db):
    """The only window between the relay's acceptance and the record is one UPDATE."""
    message = _message()
    status_at_close = []

    def close(self):
        status_at_close.append(OutboxMessage.objects.get(pk=message.pk).status)

    with mock.patch(f"{LOCMEM}.close", close, create=True):
        assert deliver(message.pk) == Outcome.SENT
    assert status_at_close and status_at_close[0] == OutboxStatus.SENT


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs in this process."""


@override_settings(HUIFU_MAIL_SENDING_LEASE_SECONDS=120)
def test_a_send_killed_midway_is_retried_after_the_lease_with_the_same_message_id(transactional_db):
    message = _message()
    with mock.patch(f"{LOCMEM}.send_messages", side_effect=Killed), pytest.raises(Killed):
        deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENDING, 1)
    # While the lease runs, another worker leaves it alone (the first may still be sending).
    assert deliver(message.pk) == Outcome.SKIPPED
    assert message.pk not in set(due_messages().values_list("pk", flat=True))
    later = timezone.now() + datetime.timedelta(seconds=121)
    assert message.pk in set(due_messages(now=later).values_list("pk", flat=True))
    assert deliver(message.pk, now=later) == Outcome.SENT
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_at) == (OutboxStatus.SENT, 2, None)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


@override_settings(HUIFU_MAIL_SENDING_LEASE_SECONDS=120)
def test_recovery_re_drives_stuck_rows_only(transactional_db):
    old = timezone.now() - datetime.timedelta(minutes=5)
    stuck_sending = _message(status=OutboxStatus.SENDING, claimed_at=old, attempts=1)
    busy = _message(status=OutboxStatus.SENDING, claimed_at=timezone.now(), attempts=1)
    lost = _message()
    OutboxMessage.objects.filter(pk=lost.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    fresh = _message()  # a backlog: its job is still queued
    OutboxMessage.objects.filter(pk=fresh.pk).update(created_at=old)
    sent = _message(status=OutboxStatus.SENT, sent_at=old)
    assert outbox_recover() == 2  # the immediate backend delivers them right away
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses[stuck_sending.pk] == OutboxStatus.SENT
    assert statuses[lost.pk] == OutboxStatus.SENT
    assert statuses[busy.pk] == OutboxStatus.SENDING
    assert statuses[fresh.pk] == OutboxStatus.PENDING
    assert statuses[sent.pk] == OutboxStatus.SENT
    assert len(mail.outbox) == 2


def test_smtp_time_is_bounded_by_default():
    assert 0 < settings.EMAIL_TIMEOUT <= 10


@pytest.fixture
def hanging_relay():
    """A TCP server that accepts connections and never says a word (a hung mail relay)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(2)
    for conn in accepted:
        conn.close()
    server.close()


def test_a_hanging_relay_costs_one_bounded_attempt_and_the_next_mails_do_not_wait(transactional_db, hanging_relay):
    port, connections_accepted = hanging_relay
    first, second, third = _message(), _message(), _message()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=1,
    ):
        started = time.monotonic()
        assert deliver(first.pk) == Outcome.RETRY
        elapsed = time.monotonic() - started
        # The relay is known to hang: the next mail jobs return at once (deferred, no attempt
        # counted) instead of holding the worker EMAIL_TIMEOUT each.
        started = time.monotonic()
        assert [deliver(second.pk), deliver(third.pk)] == [Outcome.SKIPPED, Outcome.SKIPPED]
        others = time.monotonic() - started
    assert elapsed < 5
    assert others < 0.5
    assert len(connections_accepted) == 1
    first.refresh_from_db()
    assert first.status == OutboxStatus.PENDING
    assert first.claimed_at is None
    assert "timed out" in first.last_error.lower() or "timeout" in first.last_error.lower()
    second.refresh_from_db()
    assert (second.status, second.attempts) == (OutboxStatus.PENDING, 0)
    # After the cool-down the relay is tried again.
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert deliver(second.pk, now=later) == Outcome.SENT


@pytest.mark.postgres
def test_other_writers_proceed_while_a_relay_hangs(transactional_db):
    """While one delivery waits for the relay, another message is delivered and the waiting row
    can be written by others: no lock is held during SMTP."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections (PostgreSQL)")
    slow, quick = _message(), _message()
    entered, release = threading.Event(), threading.Event()
    real = LocmemBackend.send_messages

    def hang_for_slow(self, messages):
        if messages[0].extra_headers["Message-ID"] == slow.message_id:
            entered.set()
            release.wait(10)
        return real(self, messages)

    outcomes = {}

    def run(pk):
        try:
            outcomes[pk] = deliver(pk)
        finally:
            connections.close_all()

    with mock.patch(f"{LOCMEM}.send_messages", hang_for_slow):
        slow_thread = threading.Thread(target=run, args=(slow.pk,))
        slow_thread.start()
        assert entered.wait(5)
        quick_thread = threading.Thread(target=run, args=(quick.pk,))
        quick_thread.start()
        quick_thread.join(5)
        assert outcomes.get(quick.pk) == Outcome.SENT
        # The hanging row is not locked: a NOWAIT lock from here succeeds.
        from django.db import transaction

        with transaction.atomic():
            assert OutboxMessage.objects.select_for_update(nowait=True).get(pk=slow.pk).status == OutboxStatus.SENDING
        release.set()
        slow_thread.join(10)
    assert outcomes[slow.pk] == Outcome.SENT
