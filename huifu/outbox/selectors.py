"""Reading the outbox, scoped by the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import OutboxMessage, OutboxStatus


def outbox_messages(*, user: Any, status: str = "", search: str = "") -> QuerySet[OutboxMessage]:
    """Messages the user may see (all of them for outbox operators, none otherwise), newest first."""
    if not user.has_perm("outbox.view_outbox"):
        return OutboxMessage.objects.none()
    qs = OutboxMessage.objects.select_related("recipient", "organisation").order_by("-created_at", "-id")
    if status in OutboxStatus.values:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(to__icontains=search) | Q(subject__icontains=search))
    return qs


def outbox_message(*, user: Any, message_id: Any) -> OutboxMessage:
    try:
        return outbox_messages(user=user).get(pk=message_id)
    except (OutboxMessage.DoesNotExist, ValueError):
        raise Http404("no such message")


def outbox_counts(*, user: Any) -> dict[str, int]:
    """Number of messages per status (one query)."""
    from django.db.models import Count

    rows = outbox_messages(user=user).order_by().values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(OutboxStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
