"""Helpers shared by the deepening services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


class DeepeningStateError(ValidationError):
    """An operation was asked of a plan in a state that does not allow it."""


def require(actor: Any | None, perm: str, obj: Any = None) -> None:
    """``actor=None`` is the system (demo seeding, imports)."""
    if actor is None:
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def text(value: Any) -> str:
    return str(value or "").strip()
