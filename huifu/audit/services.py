"""Writing the audit trail. Every service that changes a record calls one of these inside its
transaction, so the change and its history commit or roll back together."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditAction, AuditEvent


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value for the history."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance``, for a before/after diff."""
    names = (
        list(fields)
        if fields is not None
        else [f.attname for f in instance._meta.concrete_fields if f.attname not in ("id", "password")]
    )
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: Any | None,
    action: str | AuditAction,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    message: str = "",
    ip_address: str | None = None,
    target_label: str | None = None,
) -> AuditEvent:
    """Append one audit event. ``actor`` may be None for the system (jobs, imports from mail)."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor_obj,
        actor_label=(f"{actor_obj} <{actor_obj.email}>" if actor_obj is not None else "system")[:200],
        action=str(action),
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label if target_label is not None else (str(target) if target is not None else ""))[:300],
        changes=_plain(dict(changes or {})),
        message=message[:500],
        ip_address=ip_address,
    )


def audit_create(*, actor: Any | None, target: models.Model, message: str = "") -> AuditEvent:
    return audit_record(
        actor=actor, action=AuditAction.CREATE, target=target, changes=snapshot(target), message=message
    )


def audit_update(
    *, actor: Any | None, target: models.Model, before: Mapping[str, Any], message: str = ""
) -> AuditEvent | None:
    """Record the difference between ``before`` (a snapshot) and the target now. No-op changes record nothing."""
    changes = diff(before, snapshot(target, before.keys()))
    if not changes:
        return None
    return audit_record(actor=actor, action=AuditAction.UPDATE, target=target, changes=changes, message=message)


def audit_transition(
    *, actor: Any | None, target: models.Model, source: str, target_state: str, message: str = ""
) -> AuditEvent:
    return audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=target,
        changes={"status": [source, target_state]},
        message=message,
    )
