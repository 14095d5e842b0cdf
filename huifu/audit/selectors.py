"""Reading the audit trail, scoped by the user (staff read everything, others nothing)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent
from .rendering import EventView, render_events
from .restrictions import restrict


def can_read_history(user: Any) -> bool:
    return bool(user is not None and user.has_perm("audit.view_history"))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_events(
    *,
    user: Any,
    actor: str = "",
    actor_id: int | None = None,
    action: str = "",
    target_type: ContentType | None = None,
    target_id: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """Events the user may read, newest first, filtered. ``actor`` matches the actor's name or
    e-mail as recorded; dates are local (Asia/Shanghai) days, both ends included."""
    if not can_read_history(user):
        return AuditEvent.objects.none()
    qs = restrict(AuditEvent.objects.select_related("target_type").order_by("-at", "-id"), user)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    if target_type is not None:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=str(target_id))
    if date_from is not None:
        qs = qs.filter(at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    return qs


def record_types(*, user: Any) -> list[ContentType]:
    """The kinds of record that have history, for the filter (one query)."""
    if not can_read_history(user):
        return []
    ids = AuditEvent.objects.exclude(target_type=None).values("target_type").distinct()
    return sorted(ContentType.objects.filter(pk__in=ids), key=lambda ct: (ct.app_label, ct.model))


def content_type_for(app_label: str, model: str) -> ContentType | None:
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


def history_for(obj: models.Model, *, user: Any, limit: int | None = None) -> list[EventView]:
    """The readable history of ``obj`` (newest first) if ``user`` may read it, else []."""
    if not can_read_history(user):
        return []
    qs = audit_events(user=user, target_type=ContentType.objects.get_for_model(obj), target_id=str(obj.pk))
    if limit is not None:
        qs = qs[:limit]
    return render_events(list(qs))
