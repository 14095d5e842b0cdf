"""Reading the definitions and threshold in force for a year (one query each)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language

from .defaults import DEFAULT_PUBLIC_MINIMUM, DEFINITIONS
from .models import FigureDefinition, PublicThreshold


@dataclass(frozen=True)
class Definition:
    key: str
    year: int | None  # the edition's year; None: the built-in first edition (nothing stored)
    text_zh: str
    text_en: str

    @property
    def text(self) -> str:
        if (get_language() or "").startswith("en") and self.text_en:
            return self.text_en
        return self.text_zh


def definitions_for(year: int) -> dict[str, Definition]:
    """Every figure's definition in force in ``year``: the stored edition of the latest year not
    after ``year``; for a year before every stored edition, the earliest edition."""
    chosen: dict[str, FigureDefinition] = {}
    for row in FigureDefinition.objects.order_by("key", "year"):
        current = chosen.get(row.key)
        if current is None or row.year <= year:
            chosen[row.key] = row
    result = {}
    for key, (zh, en) in DEFINITIONS.items():
        row = chosen.get(key)
        result[key] = Definition(key, row.year, row.text_zh, row.text_en) if row else Definition(key, None, zh, en)
    return result


def public_minimum(year: int) -> int:
    row = PublicThreshold.objects.filter(year__lte=year).order_by("-year").first()
    if row is None:
        row = PublicThreshold.objects.order_by("year").first()
    return row.minimum if row else DEFAULT_PUBLIC_MINIMUM
