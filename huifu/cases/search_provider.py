"""The cases app's part of the global search (``huifu.search.registry``): cases, read through the case list's own selector and text filter (readers: published cases of their audience; staff: every case)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(title=obj.title, url=obj.get_absolute_url(), detail=obj.get_status_display())


def find(*, user: Any, text: str, limit: int) -> Found:
    return first_hits(selectors.case_list(user=user, search=text), limit=limit, hit=_hit)


register(
    Provider(
        key="cases",
        label=pgettext_lazy("search", "Cases"),
        order=80,
        perm="cases.view_case_list",
        find=find,
        more_url=lambda text: list_url("cases:list", text),
    )
)
