"""Delivering outbox rows. Runs in the job worker (``tasks.deliver_message``) or from
``manage.py outbox_flush --sync``; never inside a request's transaction.

Guarantees:
- An attempt first **claims** the row in one short transaction (``pending`` -> ``sending``,
  ``attempts`` + 1, ``claimed_at``). No database lock is held while talking to the mail server,
  so a slow or hanging relay (bounded by ``EMAIL_TIMEOUT``) blocks neither other jobs nor the web
  app. A second worker asking for a row being sent skips it: one row, one sender.
- Once the relay has accepted the message the row is marked ``sent`` at once, in one UPDATE,
  before the SMTP session is closed: the window in which a killed worker leaves an accepted
  message unrecorded is that one short commit.
- A worker that dies while sending leaves the row ``sending``; after
  ``HUIFU_MAIL_SENDING_LEASE_SECONDS`` it is retried (the job is reclaimed by ``huifu_worker``,
  or ``outbox_recover`` re-drives it) with the same Message-ID, so a rare duplicate is
  recognisable as the same mail.
- A failed attempt puts the row back to pending with the error and the time of the next attempt
  (exponential backoff); after ``HUIFU_MAIL_MAX_ATTEMPTS`` attempts it is ``failed``.
"""

from __future__ import annotations

import datetime
import enum
import logging
import smtplib
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 8
BACKOFF_BASE = datetime.timedelta(minutes=1)
BACKOFF_CAP = datetime.timedelta(hours=6)
# A job scheduled for the due time may start a moment early (clock skew between hosts).
DUE_TOLERANCE = datetime.timedelta(seconds=5)


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"
    GAVE_UP = "gave_up"
    SKIPPED = "skipped"  # already sent, failed, missing or not yet due


def max_attempts() -> int:
    return int(getattr(settings, "HUIFU_MAIL_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempts: int) -> datetime.timedelta:
    """Delay after the ``attempts``-th failure: 1, 2, 4, 8 … minutes, at most 6 hours."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


def from_address() -> str:
    """The sender: the configured address (``DEFAULT_FROM_EMAIL``), its display name preceded by
    the exchange's short name from the identity (``huifu.core.identity``), e.g. “<short> 会服系统”."""
    from email.utils import parseaddr

    from huifu.core.identity import exchange

    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    short = exchange().short_name_zh or exchange().name_zh
    if short and short not in name:
        name = f"{short} {name}".strip()
    return f"{name} <{address}>" if address and name else settings.DEFAULT_FROM_EMAIL


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=from_address(),
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.attachment_ids:
        from huifu.files.models import StoredFile

        from .rendered import is_reference, render

        stored_ids = [i for i in message.attachment_ids if not is_reference(i)]
        files = {str(f.pk): f for f in StoredFile.objects.filter(pk__in=stored_ids)} if stored_ids else {}
        for file_id in message.attachment_ids:
            if is_reference(file_id):
                email.attach(*render(file_id))
                continue
            stored = files.get(str(file_id))
            if stored is None:
                raise LookupError(f"attachment {file_id} does not exist")
            with default_storage.open(stored.file.name, "rb") as fh:
                email.attach(stored.original_name, fh.read(), stored.content_type)
    return email


def _parse_id(message_id: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(message_id))
    except ValueError:
        return None


def sending_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "HUIFU_MAIL_SENDING_LEASE_SECONDS", 120)))


def _claim(pk: uuid.UUID, now: datetime.datetime) -> OutboxMessage | None:
    """Mark the row ``sending`` for this attempt (one short transaction); None if it is not due,
    already handled, or being sent by a live worker."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None:
            return None
        if message.status == OutboxStatus.SENDING:
            if message.claimed_at is not None and message.claimed_at > now - sending_lease():
                return None  # another worker is talking to the relay right now
            logger.warning(
                "outbox: %s was left sending since %s; retrying with the same Message-ID", pk, message.claimed_at
            )
        elif message.status != OutboxStatus.PENDING or (
            message.next_attempt_at is not None and message.next_attempt_at > now + DUE_TOLERANCE
        ):
            return None
        message.status = OutboxStatus.SENDING
        message.claimed_at = now
        message.attempts += 1
        message.save(update_fields=["status", "claimed_at", "attempts"])
    return message


def _same_attempt(message: OutboxMessage) -> Any:
    return OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING, claimed_at=message.claimed_at)


def _close(connection: Any) -> None:
    if connection is None:
        return
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - the message is recorded; a failing QUIT changes nothing
        logger.debug("outbox: closing the mail connection failed", exc_info=True)


def _record_failure(message: OutboxMessage, exc: BaseException, now: datetime.datetime) -> Outcome:
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if message.attempts >= max_attempts():
        _same_attempt(message).update(
            status=OutboxStatus.FAILED, claimed_at=None, next_attempt_at=None, last_error=error
        )
        logger.error("outbox: giving up on %s after %s attempts: %s", message.pk, message.attempts, error)
        return Outcome.GAVE_UP
    retry_at = now + backoff(message.attempts)
    _same_attempt(message).update(
        status=OutboxStatus.PENDING, claimed_at=None, next_attempt_at=retry_at, last_error=error
    )
    logger.warning("outbox: attempt %s for %s failed (%s); next at %s", message.attempts, message.pk, error, retry_at)
    schedule_retry(message.pk, retry_at)
    return Outcome.RETRY


# After the SMTP relay has timed out or refused the connection, this worker process does not try
# it again for a while: the next mail jobs are deferred at once instead of each waiting up to
# EMAIL_TIMEOUT, so deadline checks, webhooks and other jobs keep moving.
RELAY_COOLDOWN = datetime.timedelta(seconds=60)
RELAY_DOWN_ERRORS = (TimeoutError, ConnectionError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)
_relay_down_until: datetime.datetime | None = None


def relay_reset() -> None:
    """Forget that the relay was down (tests; a worker forgets by itself after the cool-down)."""
    global _relay_down_until
    _relay_down_until = None


def _relay_failed(exc: BaseException, now: datetime.datetime, connection: Any) -> None:
    from django.core.mail.backends.smtp import EmailBackend as SmtpBackend

    global _relay_down_until
    if isinstance(connection, SmtpBackend) and isinstance(exc, RELAY_DOWN_ERRORS):
        _relay_down_until = now + RELAY_COOLDOWN
        logger.warning("outbox: the mail relay is unreachable (%s); deferring mail until %s", exc, _relay_down_until)


def deliver(message_id: Any, *, now: datetime.datetime | None = None) -> Outcome:
    """Try to send one outbox row now. Safe to call any number of times, concurrently too."""
    pk = _parse_id(message_id)
    if pk is None:
        logger.warning("outbox: ignoring malformed message id %r", message_id)
        return Outcome.SKIPPED
    now = now or timezone.now()
    if _relay_down_until is not None and now < _relay_down_until:
        # The relay just failed here: don't wait on it again; this job comes back after the
        # cool-down (the row is untouched: no attempt is counted).
        schedule_retry(pk, _relay_down_until)
        return Outcome.SKIPPED
    message = _claim(pk, now)
    if message is None:
        return Outcome.SKIPPED
    connection = None
    try:
        email = build_email(message)
        connection = get_connection(fail_silently=False)  # EMAIL_TIMEOUT bounds every SMTP step
        connection.open()
        if not connection.send_messages([email]):
            raise RuntimeError("the mail backend accepted no message")
    except Exception as exc:  # noqa: BLE001 - any failure of the mail path is retried
        _close(connection)
        _relay_failed(exc, now, connection)
        return _record_failure(message, exc, now)
    try:
        # The relay has the message: record it before anything else can happen (QUIT comes after).
        if not _same_attempt(message).update(
            status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_at=None, next_attempt_at=None
        ):
            logger.warning("outbox: %s was sent but its claim had been taken over", pk)
    finally:
        _close(connection)
    logger.info("outbox: sent %s to %s", pk, message.to)
    return Outcome.SENT


# A pending row due for this long has surely lost its job (a normal backlog drains far faster);
# re-driving sooner would enqueue a second job for every row of a large backlog at each sweep.
# ``HUIFU_MAIL_LOST_JOB_SECONDS`` overrides it (fault tests use seconds).
LOST_JOB_GRACE = datetime.timedelta(hours=1)
RECOVER_BATCH = 200


def outbox_recover(*, now: datetime.datetime | None = None) -> int:
    """Re-drive rows nobody is delivering: ``sending`` past the lease (worker killed) and
    ``pending`` rows due for longer than ``LOST_JOB_GRACE`` (their job was lost). Enqueues one
    delivery job each, at most ``RECOVER_BATCH`` per call; delivery's claim makes a duplicate job
    harmless. Returns the number enqueued. Run by ``huifu_worker`` every sweep."""
    from django.db.models import Q

    from .tasks import deliver_message

    now = now or timezone.now()
    grace = getattr(settings, "HUIFU_MAIL_LOST_JOB_SECONDS", None)
    lost = now - (datetime.timedelta(seconds=grace) if grace is not None else LOST_JOB_GRACE)
    stuck = OutboxMessage.objects.filter(
        Q(status=OutboxStatus.SENDING, claimed_at__lt=now - sending_lease())
        | Q(status=OutboxStatus.PENDING, next_attempt_at__lt=lost)
        | Q(status=OutboxStatus.PENDING, next_attempt_at__isnull=True, created_at__lt=lost)
    ).order_by("created_at")
    ids = [str(pk) for pk in stuck.values_list("id", flat=True)[:RECOVER_BATCH]]
    for message_id in ids:
        deliver_message.enqueue(message_id)
    if ids:
        logger.warning("outbox: re-driving %s stuck message(s)", len(ids))
    return len(ids)


def schedule_retry(message_id: uuid.UUID, run_after: datetime.datetime) -> None:
    """Enqueue a deferred retry when the job backend supports it (database, RQ). Otherwise
    (the immediate backend of tests and small installs) ``outbox_flush`` retries from cron."""
    from .tasks import deliver_message

    if not deliver_message.get_backend().supports_defer:
        return
    try:
        deliver_message.using(run_after=run_after).enqueue(str(message_id))
    except Exception:  # noqa: BLE001 - the row stays pending; outbox_flush recovers it
        logger.exception("outbox: could not schedule the retry of %s", message_id)


def due_messages(now: datetime.datetime | None = None) -> Any:
    """Pending rows whose next attempt is due (or never scheduled), and rows left ``sending``
    past the lease by a worker that died."""
    from django.db.models import Q

    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(status=OutboxStatus.PENDING, next_attempt_at__isnull=True)
        | Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=OutboxStatus.SENDING, claimed_at__lt=now - sending_lease())
    ).order_by("created_at")
