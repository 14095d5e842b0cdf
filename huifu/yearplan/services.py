"""Changing the yearly arrangements: one service per change, each in one transaction with one
audit entry. A frozen year is refused by every service (``code="frozen"``)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_transition, audit_update, snapshot
from huifu.core.permissions import require

from . import document
from .models import ArrangementYear, Programme, YearStatus

YEAR_FIELDS = ("as_of", "preface", "closing", "hotline_note", "pilots_note", "hotline_announced")
PROGRAMME_FIELDS = (
    "key",
    "part",
    "position",
    "title",
    "workflow",
    "background",
    "introduction",
    "procedure",
    "support",
)
COPIED_PROGRAMME_FIELDS = tuple(f for f in PROGRAMME_FIELDS)


def _refuse_frozen(plan: ArrangementYear) -> None:
    if plan.is_frozen:
        raise ValidationError(
            _("The year %(year)s is frozen: its document can no longer change.") % {"year": plan.year}, code="frozen"
        )


def _check(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _validate(instance: Any, exclude: list[str] | None = None) -> None:
    instance.full_clean(exclude=exclude)


@transaction.atomic
def year_create(*, actor: Any, year: int, copy_from: ArrangementYear | None = None, **fields: Any) -> ArrangementYear:
    """A new year; with ``copy_from`` its texts and programmes start as that year's."""
    require(actor, "yearplan.add_plan")
    values = {name: getattr(copy_from, name) for name in YEAR_FIELDS if name != "as_of"} if copy_from else {}
    values.update({k: v for k, v in fields.items() if k in YEAR_FIELDS})
    plan = ArrangementYear(year=year, **values)
    _validate(plan)
    _check(document.year_errors(plan))
    plan.save()
    if copy_from is not None:
        for source in copy_from.programmes.order_by("part", "position"):
            Programme.objects.create(plan=plan, **{name: getattr(source, name) for name in COPIED_PROGRAMME_FIELDS})
    audit_create(actor=actor, target=plan, message=f"copied from {copy_from.year}" if copy_from else "")
    return plan


@transaction.atomic
def year_update(*, actor: Any, plan: ArrangementYear, **fields: Any) -> ArrangementYear:
    plan = ArrangementYear.objects.select_for_update().get(pk=plan.pk)
    _refuse_frozen(plan)
    require(actor, "yearplan.change_plan", plan)
    before = snapshot(plan, YEAR_FIELDS)
    for name in YEAR_FIELDS:
        if name in fields:
            setattr(plan, name, fields[name])
    _validate(plan, exclude=["year"])
    _check(document.year_errors(plan))
    plan.save()
    audit_update(actor=actor, target=plan, before=before)
    return plan


@transaction.atomic
def programme_create(*, actor: Any, plan: ArrangementYear, **fields: Any) -> Programme:
    plan = ArrangementYear.objects.select_for_update().get(pk=plan.pk)
    _refuse_frozen(plan)
    require(actor, "yearplan.change_plan", plan)
    programme = Programme(plan=plan, **{k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    _validate(programme)
    _check(document.programme_errors(programme))
    programme.save()
    audit_create(actor=actor, target=programme)
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Programme, **fields: Any) -> Programme:
    plan = ArrangementYear.objects.select_for_update().get(pk=programme.plan_id)
    _refuse_frozen(plan)
    require(actor, "yearplan.change_plan", plan)
    programme = Programme.objects.get(pk=programme.pk)
    before = snapshot(programme, PROGRAMME_FIELDS)
    for name in PROGRAMME_FIELDS:
        if name in fields:
            setattr(programme, name, fields[name])
    _validate(programme)
    _check(document.programme_errors(programme))
    programme.save()
    audit_update(actor=actor, target=programme, before=before)
    return programme


def digest(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def year_freeze(*, actor: Any, plan: ArrangementYear) -> ArrangementYear:
    """Store the year's document and the facts it cites; from now on it is regenerated from
    them and nothing of the year changes. Refused while any text cannot be filled."""
    plan = ArrangementYear.objects.select_for_update().get(pk=plan.pk)
    _refuse_frozen(plan)
    require(actor, "yearplan.freeze_plan", plan)
    doc = document.compose_live(plan)
    plan.snapshot = doc
    plan.snapshot_sha256 = digest(doc)
    plan.status = YearStatus.FROZEN
    plan.frozen_at = timezone.now()
    plan.frozen_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.save(update_fields=["snapshot", "snapshot_sha256", "status", "frozen_at", "frozen_by", "updated_at"])
    audit_transition(actor=actor, target=plan, source=YearStatus.DRAFT, target_state=YearStatus.FROZEN)
    return plan


def frozen_intact(plan: ArrangementYear) -> bool:
    """Whether a frozen year's stored document is the one that was frozen."""
    return plan.is_frozen and digest(plan.snapshot) == plan.snapshot_sha256
