"""Changing the dashboards' data: a figure's definition for a year, the public threshold.
One transaction and one audit entry each; the cached figures are not affected (definitions are
read on every request)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_update, snapshot
from huifu.core.permissions import require

from .defaults import DEFINITIONS
from .models import FigureDefinition, PublicThreshold


def definition_set(*, actor: Any, year: int, key: str, text_zh: str, text_en: str = "") -> FigureDefinition:
    """Write ``key``'s definition for ``year`` (a new edition, or a change to that year's)."""
    if key not in DEFINITIONS:
        raise ValidationError({"key": _("There is no figure “%(key)s”.") % {"key": key}})
    text_zh, text_en = (text_zh or "").strip(), (text_en or "").strip()
    if not text_zh:
        raise ValidationError({"text_zh": _("Write the definition in Chinese.")})
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})
    with transaction.atomic():
        require(actor, "dashboards.edit_definitions")
        row = FigureDefinition.objects.select_for_update().filter(year=year, key=key).first()
        if row is None:
            row = FigureDefinition.objects.create(
                year=year, key=key, text_zh=text_zh, text_en=text_en, updated_by=actor
            )
            audit_create(actor=actor, target=row, message=f"definition {key} {year}")
            return row
        before = snapshot(row, ["text_zh", "text_en"])
        row.text_zh, row.text_en, row.updated_by = text_zh, text_en, actor
        row.save(update_fields=["text_zh", "text_en", "updated_by", "updated_at"])
        audit_update(actor=actor, target=row, before=before, message=f"definition {key} {year}")
        return row


def threshold_set(*, actor: Any, year: int, minimum: int) -> PublicThreshold:
    """Counts below ``minimum`` are hidden on the public page from ``year`` on."""
    if not 1 <= int(minimum) <= 1000:
        raise ValidationError({"minimum": _("Give a number from 1 to 1000.")})
    with transaction.atomic():
        require(actor, "dashboards.edit_definitions")
        row = PublicThreshold.objects.select_for_update().filter(year=year).first()
        if row is None:
            row = PublicThreshold.objects.create(year=year, minimum=minimum)
            audit_create(actor=actor, target=row, message=f"public threshold {year}")
            return row
        before = snapshot(row, ["minimum"])
        row.minimum = minimum
        row.save(update_fields=["minimum", "updated_at"])
        audit_update(actor=actor, target=row, before=before, message=f"public threshold {year}")
        return row
