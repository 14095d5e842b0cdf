"""The events app's part of the global search (``huifu.search.registry``): investor-education
sessions, read through the session list's own selector (staff: all; a co-organiser: its
sessions). That list has no text filter, so the words are matched here against the session's
and its series' titles; the scope is the selector's alone."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(title=obj.title, url=obj.get_absolute_url(), detail=f"{obj.date:%Y-%m-%d} · {obj.series}")


def find(*, user: Any, text: str, limit: int) -> Found:
    qs = selectors.session_list(user=user).filter(Q(title__icontains=text) | Q(series__title_zh__icontains=text))
    # Newest first in search (the list runs in calendar order); no prefetches: a hit needs none.
    return first_hits(qs.prefetch_related(None).order_by("-date", "-pk"), limit=limit, hit=_hit)


register(
    Provider(
        key="sessions",
        label=pgettext_lazy("search", "Investor-education sessions"),
        order=90,
        perm="events.view_session_list",
        find=find,
        more_url=lambda text: list_url("events:session_list"),
    )
)
