"""The activities app's part of the global search (``huifu.search.registry``): co-hosted activities, read through the activity list's own selector and text filter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(
        title=obj.title,
        url=obj.get_absolute_url(),
        detail=f"{obj.organisation.name_zh} · {obj.activity_type.display_name} · {obj.get_status_display()}",
    )


def find(*, user: Any, text: str, limit: int) -> Found:
    return first_hits(selectors.activity_list(user=user, search=text), limit=limit, hit=_hit)


register(
    Provider(
        key="activities",
        label=pgettext_lazy("search", "Market activities"),
        order=40,
        perm="activities.view_activity_list",
        find=find,
        more_url=lambda text: list_url("activities:list", text),
    )
)
