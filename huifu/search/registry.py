"""The global search's registry: each app contributes a provider, the search asks them all.

An app adds ``huifu/<app>/search_provider.py`` (imported at start by ``SearchConfig.ready``)::

    from huifu.search.registry import Hit, Provider, first_hits, register

    def _find(*, user, text, limit):
        qs = selectors.thing_list(user=user, search=text)   # the list page's own scoped selector
        return first_hits(qs, limit=limit, hit=lambda t: Hit(title=str(t), url=t.get_absolute_url()))

    register(Provider(key="things", label=_("Things"), order=50, perm="app.view_thing_list",
                      find=_find, more_url=lambda text: f"{reverse('app:list')}?q={quote(text)}"))

A provider never writes its own scoping rule: it reads through the selector its app's list page
uses, so search shows exactly what the lists show. It answers a page of ``limit`` hits and a
count capped like the product's other counts ("999+"), in a constant number of queries (two for
``first_hits``: the hits, and the capped count only when the hits fill the page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from huifu.core.home import COUNT_CAP

HITS_PER_GROUP = 5
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    count: int | str  # exact up to the cap, then "999+"


@dataclass(frozen=True)
class Provider:
    key: str
    label: Any  # a lazy translated string
    order: int
    # The list page's permission: a user who may not open the list gets no group at all.
    perm: str
    find: Callable[..., Found]  # find(*, user, text, limit) -> Found
    more_url: Callable[[str], str]  # the app's own list, filtered by the text where it can be


@dataclass
class Group:
    provider: Provider
    found: Found
    more_url: str = field(default="")

    @property
    def has_more(self) -> bool:
        """Whether the list holds more than the hits shown (a capped count is a string: "999+")."""
        count = self.found.count
        return isinstance(count, str) or count > len(self.found.hits)


_REGISTRY: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _REGISTRY[provider.key] = provider


def providers() -> list[Provider]:
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.key))


def capped(qs: QuerySet, cap: int = COUNT_CAP) -> int | str:
    """``qs``'s row count, reading at most ``cap + 1`` rows; beyond the cap "999+"."""
    n = qs.select_related(None).values("pk")[: cap + 1].count()
    return n if n <= cap else f"{cap}+"


def first_hits(qs: QuerySet, *, limit: int, hit: Callable[[Any], Hit], cap: int = COUNT_CAP) -> Found:
    """The first ``limit`` rows of ``qs`` (in its own order) as hits, and its capped count: one
    query when the page is not full (the count is the page's length), two otherwise."""
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return Found(hits=[hit(row) for row in rows], count=len(rows))
    return Found(hits=[hit(row) for row in rows[:limit]], count=capped(qs, cap))


def search_all(*, user: Any, text: str, limit: int = HITS_PER_GROUP) -> list[Group]:
    """Every provider the user may use, in order, with what it found (empty groups included:
    the page says "nothing found" per kind)."""
    groups = []
    for provider in providers():
        if not user.has_perm(provider.perm):
            continue
        groups.append(Group(provider=provider, found=provider.find(user=user, text=text, limit=limit),
                            more_url=provider.more_url(text)))  # fmt: skip
    return groups


def list_url(viewname: str, text: str = "", param: str = "q") -> str:
    """The app's list page, filtered by ``text`` when the list has a text filter (``param``)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse(viewname)
    return f"{url}?{urlencode({param: text})}" if text else url
