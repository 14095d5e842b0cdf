"""What each kind of tracked item is called, and who assigns it: one registry every app plugs into.

A tracked item's ``kind`` is a code (``feedback_item``, ``activity_payment``); people read
``kind_label(kind)`` in their language. The kinds of today's apps are registered here (so one
place lists them and one .po file translates them); a new app calls ``register_kind`` from its
``AppConfig.ready`` with its own label and, when its records carry the assignment themselves
(a Member Voice item's owner and departments), an ``assign`` hook that the work queue's bulk
assignment goes through instead of changing the tracked item alone.

    register_kind(kind, label, *, assign=None)
    kind_label(kind) -> str
    kind_choices() -> list[tuple[str, str]]      # (kind, label), sorted by label
    assign_hook(kind) -> Callable | None          # assign(item, owner, departments, actor)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any
    assign: Callable[..., Any] | None = None


_KINDS: dict[str, Kind] = {}


def register_kind(kind: str, label: Any, *, assign: Callable[..., Any] | None = None) -> None:
    """Name ``kind`` (a lazy translated string); ``assign(item, owner, departments, actor)``, if
    given, applies the queue's bulk assignment to the app's own record (it must check the
    actor's permission and raise ``PermissionDenied`` / ``ValidationError`` when refused)."""
    current = _KINDS.get(kind)
    _KINDS[kind] = Kind(kind, label, assign if assign is not None else (current.assign if current else None))


def kind_label(kind: str) -> str:
    """The human name of ``kind``; an unregistered kind reads "Other work" (never the code)."""
    found = _KINDS.get(kind)
    return str(found.label) if found else str(_("Other work"))


def kind_choices() -> list[tuple[str, str]]:
    return sorted(((k.code, str(k.label)) for k in _KINDS.values()), key=lambda pair: pair[1])


def assign_hook(kind: str) -> Callable[..., Any] | None:
    found = _KINDS.get(kind)
    return found.assign if found else None


def registered() -> set[str]:
    return set(_KINDS)


# Today's kinds (codes as their apps write them; see each app's services).
for _code, _label in (
    ("feedback_form", pgettext_lazy("tracked kind", "Member Voice form")),
    ("feedback_item", pgettext_lazy("tracked kind", "Member Voice item")),
    ("hotline_followup", pgettext_lazy("tracked kind", "Hotline follow-up")),
    ("visit", pgettext_lazy("tracked kind", "Visit letter")),
    ("activity_review", pgettext_lazy("tracked kind", "Activity application review")),
    ("activity_summary", pgettext_lazy("tracked kind", "Activity summary due")),
    ("activity_summary_review", pgettext_lazy("tracked kind", "Activity summary review")),
    ("activity_payment", pgettext_lazy("tracked kind", "Activity payment")),
    ("participation_review", pgettext_lazy("tracked kind", "Incentive participation review")),
    ("participation_acceptance", pgettext_lazy("tracked kind", "Incentive acceptance")),
    ("participation_closing", pgettext_lazy("tracked kind", "Incentive closing")),
    ("deepening_review", pgettext_lazy("tracked kind", "Deepening plan review")),
    ("deepening_revision", pgettext_lazy("tracked kind", "Deepening plan revision")),
    ("deepening_execution", pgettext_lazy("tracked kind", "Deepening plan execution")),
    ("deepening_closeout", pgettext_lazy("tracked kind", "Deepening plan close-out")),
):
    register_kind(_code, _label)
