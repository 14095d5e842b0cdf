"""The incentives app's part of the global search (``huifu.search.registry``): participations,
read through the participation list's own selector. That list has no text filter, so the words
are matched here against the project (code, name), the company and the plan text; the scope is
the selector's alone."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(
        title=f"{obj.project.code} {obj.project.name_zh}",
        url=obj.get_absolute_url(),
        detail=f"{obj.organisation} · {obj.get_status_display()}",
    )


def find(*, user: Any, text: str, limit: int) -> Found:
    qs = selectors.participation_list(user=user).filter(
        Q(project__code__icontains=text)
        | Q(project__name_zh__icontains=text)
        | Q(organisation__name_zh__icontains=text)
        | Q(plan__icontains=text)
    )
    return first_hits(qs.prefetch_related(None), limit=limit, hit=_hit)


register(
    Provider(
        key="participations",
        label=pgettext_lazy("search", "Incentive participations"),
        order=60,
        perm="incentives.view_participation_list",
        find=find,
        # The list filters by project and state, not by text: "more" opens the whole list.
        more_url=lambda text: list_url("incentives:participation_list"),
    )
)
