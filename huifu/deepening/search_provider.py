"""The deepening app's part of the global search (``huifu.search.registry``): deep-cultivation plans, read through the plan list's own selector and text filter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(title=obj.title, url=obj.get_absolute_url(), detail=f"{obj.member} · {obj.get_status_display()}")


def find(*, user: Any, text: str, limit: int) -> Found:
    return first_hits(selectors.plan_list(user=user, search=text), limit=limit, hit=_hit)


register(
    Provider(
        key="deepening_plans",
        label=pgettext_lazy("search", "Enterprise deep-cultivation plans"),
        order=50,
        perm="deepening.view_plan_list",
        find=find,
        more_url=lambda text: list_url("deepening:plan_list", text),
    )
)
