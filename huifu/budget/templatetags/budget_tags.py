"""Kept for old templates: ``|yuan`` is ``huifu.core.display.amount``. New code uses ``{% load kit %}``
and ``|money`` (¥1,234,567.50)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from huifu.budget.money import yuan as _yuan

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return _yuan(Decimal(str(value)))
    except InvalidOperation:
        return str(value)
