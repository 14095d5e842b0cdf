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
  ``capped_count`` (one ``SELECT count(*) FROM (… LIMIT 1000)``, "999+" beyond), recent entries
  through a sliced queryset with ``select_related``;
* it returns ``None`` when it has nothing to say to this user (wrong role), and a ``CardContent``
  with no counts and ``empty_text`` (what to do next) when the user has nothing waiting.

A failing card must not take the home down: ``cards_for`` logs the error and leaves the card out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import rules
from django.db.models import QuerySet
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

# The product's one count cap: lists, the queue and the home count to 999 and show "999+" beyond.
COUNT_CAP = 999


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> int | str:
    """How many rows ``qs`` holds, exact up to ``cap`` and ``"999+"`` beyond: one query that reads
    at most ``cap + 1`` ids (``SELECT count(*) FROM (SELECT id … LIMIT 1000)``), as the lists do.
    ``qs``'s order is kept: a selector ordered along an index lets the count walk that index."""
    n = qs.select_related(None).values("pk")[: cap + 1].count()
    return n if n <= cap else f"{cap}+"


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
    shown.sort(key=lambda rc: (not rc.content.waiting, rc.card.order, rc.card.key))
    return shown
