"""The visits app's part of the global search (``huifu.search.registry``): visit requests, read through the visit list's own selector and text filter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(
        title=f"{obj.organisation.name_zh} · {obj.purpose}", url=obj.get_absolute_url(), detail=obj.get_status_display()
    )


def find(*, user: Any, text: str, limit: int) -> Found:
    return first_hits(selectors.visit_list_for_user(user=user, search=text), limit=limit, hit=_hit)


register(
    Provider(
        key="visits",
        label=pgettext_lazy("search", "Visits"),
        order=30,
        perm="visits.view_visit_list",
        find=find,
        more_url=lambda text: list_url("visits:list", text),
    )
)
