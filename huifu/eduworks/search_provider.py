"""The educational works' part of the global search (``huifu.search.registry``): read through the
work list's own selector and text filter (staff every work; a member company its own works and
everybody's published ones)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors
from .filters import WorkFilter


def _hit(obj: Any) -> Hit:
    return Hit(
        title=obj.title, url=obj.get_absolute_url(), detail=f"{obj.get_kind_display()} · {obj.get_state_display()}"
    )


def find(*, user: Any, text: str, limit: int) -> Found:
    qs = WorkFilter({"q": text}, queryset=selectors.work_list(user=user)).qs
    return first_hits(qs, limit=limit, hit=_hit)


register(
    Provider(
        key="eduworks",
        label=pgettext_lazy("search", "Educational works"),
        order=95,
        perm="eduworks.view_work_list",
        find=find,
        more_url=lambda text: list_url("eduworks:list", text),
    )
)
