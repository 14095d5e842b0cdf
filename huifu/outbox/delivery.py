"""Delivering outbox rows. Runs in the job worker (``tasks.deliver_message``) or from
``manage.py outbox_flush --sync``; never inside a request's transaction.

Guarantees:
- The row is locked (``SELECT ... FOR UPDATE``; on SQLite the IMMEDIATE transaction serialises
  writers) for the whole attempt, so two workers delivering the same row cannot both send: the
  second one waits, then sees ``sent`` and does nothing.
- A failed attempt keeps the row pending with ``attempts`` + 1, the error and the time of the
  next attempt (exponential backoff); after ``HUIFU_MAIL_MAX_ATTEMPTS`` attempts it is ``failed``.
- Every send carries the row's stable Message-ID, so in the rare case where the mail server
  accepted a message but the database commit failed, the duplicate is recognisable.
"""

from __future__ import annotations

import datetime
import enum
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
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


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.attachment_ids:
        from huifu.files.models import StoredFile

        files = {str(f.pk): f for f in StoredFile.objects.filter(pk__in=message.attachment_ids)}
        for file_id in message.attachment_ids:
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


def deliver(message_id: Any, *, now: datetime.datetime | None = None) -> Outcome:
    """Try to send one outbox row now. Safe to call any number of times, concurrently too."""
    pk = _parse_id(message_id)
    if pk is None:
        logger.warning("outbox: ignoring malformed message id %r", message_id)
        return Outcome.SKIPPED
    retry_at: datetime.datetime | None = None
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        now = now or timezone.now()
        if message is None or message.status != OutboxStatus.PENDING:
            return Outcome.SKIPPED
        if message.next_attempt_at is not None and message.next_attempt_at > now + DUE_TOLERANCE:
            return Outcome.SKIPPED
        try:
            with transaction.atomic():  # a savepoint: a failed attachment lookup keeps the lock usable
                email = build_email(message)
            email.send(fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - any failure of the mail path is retried
            message.attempts += 1
            message.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if message.attempts >= max_attempts():
                message.status = OutboxStatus.FAILED
                message.next_attempt_at = None
                outcome = Outcome.GAVE_UP
                logger.error("outbox: giving up on %s after %s attempts: %s", pk, message.attempts, message.last_error)
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                retry_at = message.next_attempt_at
                outcome = Outcome.RETRY
                logger.warning(
                    "outbox: attempt %s for %s failed (%s); next at %s",
                    message.attempts,
                    pk,
                    message.last_error,
                    message.next_attempt_at,
                )
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = timezone.now()
            message.attempts += 1
            message.next_attempt_at = None
            message.save(update_fields=["status", "sent_at", "attempts", "next_attempt_at"])
            outcome = Outcome.SENT
            logger.info("outbox: sent %s to %s", pk, message.to)
    if retry_at is not None:
        schedule_retry(pk, retry_at)
    return outcome


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
    """Pending rows whose next attempt is due (or never scheduled)."""
    from django.db.models import Q

    now = now or timezone.now()
    return (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at")
    )
