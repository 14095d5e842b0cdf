"""Turning audit events into readable rows: field verbose names, choice labels, related records
by name, before → after. Related names are looked up in one query per related model, so a page
of events costs the same whatever its length."""

from __future__ import annotations

import datetime
import decimal
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from huifu.core.texts import readable

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
    message: str = ""  # the event's message in the reader's language

    @property
    def has_before(self) -> bool:
        return any(row.before is not None for row in self.rows)


def _message(event: AuditEvent, model: type[models.Model] | None) -> str:
    """The message in words: a stored message key, an old Chinese message read back, or a code
    some services write (the channel of a new form) shown as its choice label."""
    text = readable(event.message)
    if model is not None and text == event.message and text and " " not in text:
        for f in model._meta.concrete_fields:
            label = dict(f.flatchoices).get(text) if f.choices else None
            if label is not None:
                return str(label)
    return text


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


# Bookkeeping that means nothing to a reader (issue #10, point 7): never shown in a history.
HIDDEN_FIELDS = frozenset(
    {
        "id",
        "password",
        "idempotency_key",
        "updated_at",
        "created_at",
        "search_vector",
        "search_text",
        "arrangement_version",
    }
)
HIDDEN_SUFFIXES = ("_hash", "_token", "_digest", "_key")

# Keys of free data (not fields) that services write, with their words.
KEY_LABELS = {
    "files": pgettext_lazy("history", "files"),
    "evidence": pgettext_lazy("history", "evidence"),
    "activity": pgettext_lazy("history", "activity"),
    "topics": pgettext_lazy("history", "topics"),
    "linked": pgettext_lazy("history", "linked item"),
    "contact_log": pgettext_lazy("history", "contact log"),
    "supervision_note": pgettext_lazy("history", "supervision note"),
    "budget_lines": pgettext_lazy("history", "budget lines"),
    "enterprises": pgettext_lazy("history", "enterprises"),
    "activities": pgettext_lazy("history", "planned activities"),
}


# Keys of a JSON field's dict → their words, registered by the app that owns the field
# (``register_key_labels(Activity, "audience_expected", AudienceKind.choices)``), so
# ``{"industry": 30}`` reads "Industry clients: 30".
_JSON_KEY_LABELS: dict[tuple[str, str], dict[str, Any]] = {}


def register_key_labels(model: type[models.Model], field_name: str, choices: Any) -> None:
    _JSON_KEY_LABELS[(model._meta.label_lower, field_name)] = dict(choices)


def hidden(name: str) -> bool:
    return name in HIDDEN_FIELDS or name.endswith(HIDDEN_SUFFIXES)


def _moment(f: models.Field | None, value: Any) -> str | None:
    """Dates and times stored as ISO text, shown local (Asia/Shanghai) in the one format."""
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-":
        return None
    if isinstance(f, models.DateTimeField) or (f is None and "T" in value):
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "Y-m-d H:i")
    if isinstance(f, models.DateField) or f is None and len(value) == 10:
        try:
            return date_format(datetime.date.fromisoformat(value), "Y-m-d")
        except ValueError:
            return None
    return None


def _number(f: models.Field | None, value: Any) -> str | None:
    """Money and other decimals with separators and their places (30,000.00)."""
    if isinstance(f, models.DecimalField):
        try:
            amount = decimal.Decimal(str(value))
        except (decimal.InvalidOperation, ValueError):
            return None
        return number_format(amount, decimal_pos=f.decimal_places, use_l10n=True, force_grouping=True)
    return None


def _display(f: models.Field | None, value: Any, names: dict, model: type[models.Model] | None = None) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if f is not None:
        if f.is_relation and f.many_to_one:
            return names.get((f.related_model, str(value)), f"#{value}")
        if f.choices and not isinstance(value, (list, dict)):
            label = dict(f.flatchoices).get(value)
            if label is not None:
                return str(label)
        if isinstance(f, models.BooleanField) or isinstance(value, bool):
            return _("yes") if value else _("no")
    elif isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        # Free data such as {"industry": 30}: each key read as the field it names, or through the
        # words the owning app registered for this JSON field.
        keys = _JSON_KEY_LABELS.get((model._meta.label_lower, f.name), {}) if model is not None and f else {}
        parts = []
        for key, inner in value.items():
            if hidden(str(key)):
                continue
            inner_field = None if key in keys else _model_field(model, str(key))
            label = str(keys[key]) if key in keys else _label(inner_field, str(key))
            parts.append(f"{label}: {_display(inner_field, inner, names, model)}")
        return "\n".join(parts) or EMPTY
    if isinstance(value, list):
        return "、".join(_display(f, v, names, model) for v in value) or EMPTY
    for formatted in (_moment(f, value), _number(f, value)):
        if formatted is not None:
            return formatted
    return str(value)


def _label(f: models.Field | None, name: str) -> str:
    if f is not None:
        label = str(f.verbose_name)
        return label[:1].upper() + label[1:] if get_language() and get_language().startswith("en") else label
    if name in KEY_LABELS:
        return str(KEY_LABELS[name])
    return _(name.replace("_", " "))


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
            if hidden(name):
                continue
            f = _model_field(model, name)
            if pairs:
                rows.append(
                    ChangeRow(_label(f, name), _display(f, value[0], names, model), _display(f, value[1], names, model))
                )
            else:
                if value in (None, "", [], {}) and event.action == AuditAction.CREATE:
                    continue  # a new record's empty fields say nothing
                rows.append(ChangeRow(_label(f, name), None, _display(f, value, names, model)))
        views.append(EventView(event=event, rows=rows, message=_message(event, model)))
    return views
