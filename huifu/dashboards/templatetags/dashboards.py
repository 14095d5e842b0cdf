from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from huifu.core import display

register = template.Library()


@register.filter
def figure(value: Any) -> Any:
    """A table cell: numbers grouped the project's way, a missing value as a dash, text as is."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return display.number(value)
    if isinstance(value, Decimal):
        return display.amount(value) if value.as_tuple().exponent == -2 else f"{value}"
    return value


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


@register.filter
def get_item(mapping: dict, key: str) -> Any:
    return mapping.get(key, "")
