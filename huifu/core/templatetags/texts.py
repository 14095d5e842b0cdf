"""``{% load texts %}{{ step.comment|readable }}``: system-written text in the reader's language
(see ``huifu.core.texts``)."""

from __future__ import annotations

from typing import Any

from django import template

from huifu.core.texts import readable as _readable

register = template.Library()


@register.filter
def readable(value: Any) -> str:
    return _readable(value)
