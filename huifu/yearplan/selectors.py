"""Reading years and programmes. Only staff read them (``yearplan.view_plan``); the views check
that first, so the selectors need not scope by organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from .models import PART_ORDER, ArrangementYear, Programme


def year_list() -> QuerySet[ArrangementYear]:
    return ArrangementYear.objects.select_related("frozen_by").annotate(programme_count=Count("programmes"))


def year_get(*, year: int) -> ArrangementYear:
    plan = ArrangementYear.objects.select_related("frozen_by").filter(year=year).first()
    if plan is None:
        raise Http404
    return plan


def previous_year(plan: ArrangementYear) -> ArrangementYear | None:
    return ArrangementYear.objects.filter(year__lt=plan.year).order_by("-year").first()


def programmes(plan: ArrangementYear) -> list[Programme]:
    """In the document's order: parts as printed, then position."""
    return sorted(plan.programmes.all(), key=lambda p: (PART_ORDER.index(p.part), p.position, p.key))


def programme_get(*, plan: ArrangementYear, key: str) -> Programme:
    programme = plan.programmes.filter(key=key).first()
    if programme is None:
        raise Http404
    return programme


def author_of(document: dict[str, Any]) -> str:
    """The .docx/PDF author: the exchange named in the document's title."""
    return document["title"][0].removeprefix(f"{document['year']}年")
