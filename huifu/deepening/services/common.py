"""Helpers shared by the deepening services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class DeepeningStateError(ValidationError):
    """An operation was asked of a plan in a state that does not allow it."""


def text(value: Any) -> str:
    return str(value or "").strip()
