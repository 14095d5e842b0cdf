"""Reading notifications: always the requesting user's own, nobody else's (not even staff's)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404

from .kinds import KINDS
from .models import Notification, NotificationPreference

BELL_CAP = 99


def notifications_for(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s notifications, unread first, newest first. No joins: the text and link are on
    the row, so a page costs one query whatever its length."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


def notification_get(*, user: Any, notification_id: int) -> Notification:
    """One of ``user``'s notifications; someone else's answers 404, like one that does not exist."""
    try:
        return Notification.objects.get(pk=notification_id, recipient_id=getattr(user, "pk", None))
    except Notification.DoesNotExist:
        raise Http404 from None


def unread_count(*, user: Any, cap: int = BELL_CAP) -> int:
    """Unread notifications of ``user``, counted up to ``cap + 1`` (the bell shows "99+"): one
    query on the partial index."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).values("pk")[: cap + 1].count()


def preferences_for(*, user: Any) -> list[dict[str, Any]]:
    """Every kind with ``user``'s channels (defaults where no row), in the order of ``KINDS``."""
    stored = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for code, kind in KINDS.items():
        pref = stored.get(code)
        rows.append(
            {
                "kind": kind,
                "email": pref.email if pref else True,
                "webhook": pref.webhook if pref else True,
            }
        )
    return rows
