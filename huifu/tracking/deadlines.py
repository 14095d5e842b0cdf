"""The deadline check: reminders before the due date, escalation after it, each sent once.

Rules are data: ``TrackingPolicy`` per kind (``kind=""`` is the default; without any row,
remind 1 working day before and escalate after due). Every reminder or escalation is one
transaction with one audit entry, and is marked with a conditional UPDATE so two concurrent
runs never send twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record
from huifu.workdays.engine import china_date
from huifu.workdays.selectors import calendar_snapshot

from .models import TrackedItem, TrackedStatus, TrackingPolicy
from .notify import notify_escalation, notify_reminder

DEFAULT_REMIND_BEFORE = 1


def _policies() -> tuple[dict[str, TrackingPolicy], TrackingPolicy | None]:
    rows = {p.kind: p for p in TrackingPolicy.objects.all()}
    return rows, rows.get("")


def _policy_for(kind: str, rows: dict[str, TrackingPolicy], default: TrackingPolicy | None) -> tuple[int, bool]:
    policy = rows.get(kind) or default
    if policy is None:
        return DEFAULT_REMIND_BEFORE, True
    return policy.remind_before_working_days, policy.escalate_after_due


def _mark_and_send(item: TrackedItem, field: str, send: Any, now: datetime.datetime, message: str) -> bool:
    with transaction.atomic():
        claimed = TrackedItem.objects.filter(
            pk=item.pk, status=TrackedStatus.OPEN, **{f"{field}__isnull": True}
        ).update(**{field: now})
        if not claimed:
            return False
        send(item)
        audit_record(
            actor=system_actor(), action=AuditAction.UPDATE, target=item, changes={field: [None, now]}, message=message
        )
    return True


def check_deadlines(now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    today = china_date(now)
    cal = calendar_snapshot()
    rows, default = _policies()
    counts = {"reminded": 0, "escalated": 0}
    base = TrackedItem.objects.filter(status=TrackedStatus.OPEN).select_related("owner", "department", "organisation")
    # Reminders: the remind date is N working days before the due date; look ahead generously
    # (holidays can stretch N working days over two weeks) and decide per item.
    horizon = now + datetime.timedelta(days=45)
    for item in base.filter(reminded_at__isnull=True, escalated_at__isnull=True, due_at__gt=now, due_at__lte=horizon):
        before, _escalate = _policy_for(item.kind, rows, default)
        remind_on = cal.add_working_days(china_date(item.due_at), -before).date if before else china_date(item.due_at)
        if today >= remind_on and _mark_and_send(item, "reminded_at", notify_reminder, now, "reminder"):
            counts["reminded"] += 1
    for item in base.filter(escalated_at__isnull=True, due_at__lt=now):
        _before, escalate = _policy_for(item.kind, rows, default)
        if escalate and _mark_and_send(item, "escalated_at", notify_escalation, now, "escalation"):
            counts["escalated"] += 1
    from .tasks import deliver_webhook
    from .webhooks import due_deliveries

    for delivery_id in due_deliveries(now).values_list("pk", flat=True)[:500]:
        deliver_webhook.enqueue(delivery_id)
    return counts
