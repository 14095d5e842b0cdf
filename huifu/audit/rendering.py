"""Turning audit events into readable rows: field verbose names, choice labels, related records
by name, before → after. Related names are looked up in one query per related model, so a page
of events costs the same whatever its length."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .models import AuditAction, AuditEvent

EMPTY = "—"


@dataclass
class ChangeRow:
    label: str
    before: str | None  # None: no "before" column (creation, free data)
    after: str


@dataclass
class EventView:
    event: AuditEvent
    rows: list[ChangeRow] = field(default_factory=list)


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    return None


def _is_pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2


def _pairs(event: AuditEvent) -> bool:
    """Whether ``changes`` is a {field: [before, after]} diff (updates, transitions)."""
    changes = event.changes if isinstance(event.changes, dict) else {}
    return event.action in (AuditAction.UPDATE, AuditAction.TRANSITION) and all(_is_pair(v) for v in changes.values())


def _related_names(events: list[AuditEvent], models_by_event: dict[int, type[models.Model] | None]) -> dict:
    """{(related model, pk as text): str(record)} for every foreign key value shown."""
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for event in events:
        model = models_by_event.get(event.pk)
        if model is None or not isinstance(event.changes, dict):
            continue
        for name, value in event.changes.items():
            f = _model_field(model, name)
            if f is None or not f.is_relation or not f.many_to_one:
                continue
            values = value if _pairs(event) else [value]
            for v in values:
                if v not in (None, ""):
                    wanted[f.related_model].add(str(v))
    names: dict[tuple[type[models.Model], str], str] = {}
    for related, pks in wanted.items():
        try:
            for obj in related._default_manager.filter(pk__in=list(pks)):
                names[(related, str(obj.pk))] = str(obj)
        except (ValueError, TypeError):
            continue
    return names


def _display(f: models.Field | None, value: Any, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if f is not None:
        if f.is_relation and f.many_to_one:
            return names.get((f.related_model, str(value)), f"#{value}")
        if f.choices:
            label = dict(f.flatchoices).get(value)
            if label is not None:
                return str(label)
        if isinstance(f, models.BooleanField) or isinstance(value, bool):
            return _("yes") if value else _("no")
    elif isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _label(f: models.Field | None, name: str) -> str:
    if f is not None:
        return str(f.verbose_name)
    return name.replace("_", " ")


def render_events(events: list[AuditEvent]) -> list[EventView]:
    """Readable rows for each event. ``target_type`` should be select_related by the caller."""
    models_by_event = {e.pk: (e.target_type.model_class() if e.target_type_id else None) for e in events}
    names = _related_names(events, models_by_event)
    views = []
    for event in events:
        model = models_by_event.get(event.pk)
        rows: list[ChangeRow] = []
        changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
        pairs = _pairs(event)
        for name, value in changes.items():
            f = _model_field(model, name)
            if pairs:
                rows.append(ChangeRow(_label(f, name), _display(f, value[0], names), _display(f, value[1], names)))
            else:
                rows.append(ChangeRow(_label(f, name), None, _display(f, value, names)))
        views.append(EventView(event=event, rows=rows))
    return views
