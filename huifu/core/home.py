"""The home page's cards ("my work"): one small registry every app contributes to.

An app describes what waits for the logged-in user in its own ``huifu/<app>/home_cards.py``
(imported by ``CoreConfig.ready`` through ``autodiscover_modules``)::

    from huifu.core.home import HomeCard, CardContent, CardRow, capped_count, register

    @register(key="servicedesk.replies", title=_("Member Voice"), order=20,
              permission="servicedesk.view_feedback_list")
    def feedback_card(user) -> CardContent | None:
        forms = forms_for(user)  # the SAME selector the list page uses
        return CardContent(
            url=reverse("servicedesk:feedback_list"),
            rows=[CardRow(_("Replies to read"), capped_count(forms.filter(...)), url=...)],
            empty_text=_("Nothing waits for you."),
        )

Rules a card keeps (the home is the page everyone opens every morning):

* it reads through the app's selectors, the ones its list page uses, so the card never counts a
  record the list would not show (company A never sees company B's counts);
* it costs a constant number of queries, whatever the number of records: counts go through
  ``capped_count`` (``SELECT count(*) FROM (… LIMIT 1000)``, "999+" beyond), recent entries
  through a sliced queryset with ``select_related``. While ``cards_for`` builds the page, every
  card's counts wait and are then read together in ONE query (one scalar sub-select per count):
  the home of a member admin asked 20 counts in 20 round trips before;
* it returns ``None`` when it has nothing to say to this user (wrong role), and a ``CardContent``
  with no counts and ``empty_text`` (what to do next) when the user has nothing waiting.

A failing card must not take the home down: ``cards_for`` logs the error and leaves the card out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import rules
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

# The product's one count cap: lists, the queue and the home count to 999 and show "999+" beyond.
COUNT_CAP = 999


def _capped_subquery(qs: QuerySet, cap: int) -> QuerySet:
    return qs.select_related(None).values("pk")[: cap + 1]


def _cap(n: int, cap: int) -> int | str:
    return n if n <= cap else f"{cap}+"


class PendingCount:
    """A count asked while ``batched_counts`` is open: read with the other pending counts in one
    query when the batch closes — or at once, with them, as soon as anything looks at its value
    (a builder that tests ``if n:`` still gets the right answer, only one round trip earlier)."""

    __slots__ = ("_batch", "_qs", "cap", "_value")

    def __init__(self, batch: _CountBatch, qs: QuerySet, cap: int) -> None:
        self._batch, self._qs, self.cap = batch, qs, cap
        self._value: int | str | None = None

    @property
    def value(self) -> int | str:
        if self._value is None:
            self._batch.flush()
        assert self._value is not None
        return self._value

    def __eq__(self, other: object) -> bool:
        return self.value == (other.value if isinstance(other, PendingCount) else other)

    def __hash__(self) -> int:
        return hash(self.value)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return str(self.value)


class _CountBatch:
    def __init__(self) -> None:
        self.pending: list[PendingCount] = []

    def add(self, qs: QuerySet, cap: int) -> PendingCount:
        count = PendingCount(self, qs, cap)
        self.pending.append(count)
        return count

    def flush(self) -> None:
        """One ``SELECT (SELECT count(*) FROM (…) c0), (SELECT count(*) FROM (…) c1), …`` for every
        pending count (an empty queryset — ``.none()`` — is 0 without SQL)."""
        pending, self.pending = self.pending, []
        parts: list[str] = []
        params: list[Any] = []
        asked: list[PendingCount] = []
        for count in pending:
            try:
                sql, sql_params = _capped_subquery(count._qs, count.cap).query.sql_with_params()
            except EmptyResultSet:
                count._value = 0
                continue
            # sql is Django's own compiled SQL; every value stays a bound parameter.
            parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS c{len(parts)})")  # noqa: S608
            params.extend(sql_params)
            asked.append(count)
        if not asked:
            return
        with connections[asked[0]._qs.db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            row = cursor.fetchone()
        for count, n in zip(asked, row, strict=True):
            count._value = _cap(int(n), count.cap)


_batches = threading.local()


@contextmanager
def batched_counts() -> Iterator[_CountBatch]:
    """Inside: ``capped_count`` answers a ``PendingCount``; on leaving, all of them are read in one
    query. Nested use joins the outer batch."""
    outer = getattr(_batches, "current", None)
    if outer is not None:
        yield outer
        return
    batch = _CountBatch()
    _batches.current = batch
    try:
        yield batch
        batch.flush()
    finally:
        _batches.current = None


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> int | str | PendingCount:
    """How many rows ``qs`` holds, exact up to ``cap`` and ``"999+"`` beyond: it reads at most
    ``cap + 1`` ids (``SELECT count(*) FROM (SELECT id … LIMIT 1000)``), as the lists do.
    ``qs``'s order is kept: a selector ordered along an index lets the count walk that index.
    Inside ``batched_counts`` (the home page) the answer waits for the batch's one query."""
    batch = getattr(_batches, "current", None)
    if batch is not None:
        return batch.add(qs, cap)
    return _cap(_capped_subquery(qs, cap).count(), cap)


def resolved(count: int | str | PendingCount) -> int | str:
    return count.value if isinstance(count, PendingCount) else count


def count_is_zero(count: int | str) -> bool:
    return count == 0


@dataclass(frozen=True)
class CardRow:
    """One line of a card: "Replies to read: 3", linking to the list filtered on exactly those.
    ``deadline``: the nearest due moment among them (aware datetime or date), shown next to the
    count; ``urgent`` paints the count as overdue."""

    label: str | Promise
    count: int | str
    url: str = ""
    deadline: datetime | Any | None = None
    urgent: bool = False

    @property
    def is_empty(self) -> bool:
        return count_is_zero(self.count)


@dataclass(frozen=True)
class CardEntry:
    """A recent record on the card: a reply, a decision, a notice — title, link, time, a short note."""

    title: str | Promise
    url: str = ""
    when: datetime | Any | None = None
    note: str | Promise = ""


@dataclass
class CardContent:
    """What a card shows to one user. ``url``: the card's list page. ``rows`` with a zero count are
    still shown (the user sees "0 overdue"), but a card whose rows are all zero and which has no
    entries shows ``empty_text`` and ``empty_action`` (label, url): what to do next."""

    url: str = ""
    rows: list[CardRow] = field(default_factory=list)
    entries: list[CardEntry] = field(default_factory=list)
    entries_title: str | Promise = ""
    empty_text: str | Promise = ""
    empty_action: tuple[str | Promise, str] | None = None

    @property
    def is_empty(self) -> bool:
        return not self.entries and all(row.is_empty for row in self.rows)

    @property
    def waiting(self) -> bool:
        """Something waits (a non-zero count): such cards come first on the page."""
        return any(not row.is_empty for row in self.rows)


CardBuilder = Callable[[Any], "CardContent | None"]


@dataclass(frozen=True)
class HomeCard:
    key: str  # "<app>.<what>", unique
    title: str | Promise
    build: CardBuilder
    order: int = 100  # lower first, among cards with the same "waiting" state
    permission: str | None = None  # a `rules` permission; None: every logged-in user may get it


_REGISTRY: dict[str, HomeCard] = {}


def register(
    *, key: str, title: str | Promise, order: int = 100, permission: str | None = None
) -> Callable[[CardBuilder], CardBuilder]:
    """Decorator: register ``build(user) -> CardContent | None`` as the home card ``key``.
    Registering the same key again replaces the card (a module imported twice does no harm)."""

    def decorator(build: CardBuilder) -> CardBuilder:
        _REGISTRY[key] = HomeCard(key=key, title=title, build=build, order=order, permission=permission)
        return build

    return decorator


def registered_cards() -> list[HomeCard]:
    return sorted(_REGISTRY.values(), key=lambda card: (card.order, card.key))


@dataclass(frozen=True)
class RenderedCard:
    card: HomeCard
    content: CardContent

    @property
    def title(self) -> str | Promise:
        return self.card.title

    @property
    def key(self) -> str:
        return self.card.key


def cards_for(user: Any) -> list[RenderedCard]:
    """The cards ``user`` sees, those where something waits first, then by ``order``."""
    shown: list[RenderedCard] = []
    with batched_counts():
        for card in registered_cards():
            if card.permission and not rules.has_perm(card.permission, user):
                continue
            try:
                content = card.build(user)
            except Exception:  # one app's bug must not take everybody's home page down
                logger.exception("home card %s failed", card.key)
                continue
            if content is not None:
                shown.append(RenderedCard(card, content))
    for rendered in shown:
        rendered.content.rows = [replace(row, count=resolved(row.count)) for row in rendered.content.rows]
    shown.sort(key=lambda rc: (not rc.content.waiting, rc.card.order, rc.card.key))
    return shown
