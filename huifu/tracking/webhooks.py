"""Delivering department webhooks: one POST per row, retried with backoff, never lost.

The row is locked while it is sent, so concurrent jobs never post twice. A failure keeps the
row pending with ``next_attempt_at``; ``manage.py tracking_check_deadlines`` also re-enqueues
due rows (the immediate job backend cannot defer)."""

from __future__ import annotations

import datetime
import json
import logging
import urllib.request
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import WebhookDelivery, WebhookStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(2**attempts, 24 * 60))


def post_json(url: str, payload: dict[str, Any]) -> None:
    """POST ``payload`` as JSON; raises on a network error or a non-2xx answer."""
    if not url.startswith(("https://", "http://")):
        raise OSError(f"refusing to post to {url!r}")
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - staff-set https URL
        if not 200 <= response.status < 300:
            raise OSError(f"HTTP {response.status}")


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> str:
    retry_at = None
    with transaction.atomic():
        row = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        now = now or timezone.now()
        if row is None or row.status != WebhookStatus.PENDING:
            return "skipped"
        if row.next_attempt_at is not None and row.next_attempt_at > now + datetime.timedelta(seconds=5):
            return "skipped"
        row.attempts += 1
        try:
            post_json(row.url, row.payload)
        except Exception as exc:  # noqa: BLE001 - every failure is retried
            row.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = WebhookStatus.FAILED
                row.next_attempt_at = None
                outcome = "gave_up"
                logger.error("webhook %s: giving up after %s attempts: %s", row.pk, row.attempts, row.last_error)
            else:
                row.next_attempt_at = now + backoff(row.attempts)
                retry_at = row.next_attempt_at
                outcome = "retry"
                logger.warning("webhook %s: attempt %s failed: %s", row.pk, row.attempts, row.last_error)
        else:
            row.status = WebhookStatus.SENT
            row.sent_at = now
            row.next_attempt_at = None
            outcome = "sent"
        row.save()
    if retry_at is not None:
        from .tasks import deliver_webhook

        if deliver_webhook.get_backend().supports_defer:
            try:
                deliver_webhook.using(run_after=retry_at).enqueue(delivery_id)
            except Exception:  # noqa: BLE001 - cron picks the row up
                logger.exception("webhook %s: could not schedule the retry", delivery_id)
    return outcome


def due_deliveries(now: datetime.datetime | None = None) -> Any:
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(status=WebhookStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
