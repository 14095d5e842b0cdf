"""``{% hotline_number %}``: the Market Service Center hotline in force today (one query)."""

from __future__ import annotations

from django import template

from ..selectors import hotline_number as _hotline_number

register = template.Library()


@register.simple_tag
def hotline_number() -> str:
    return _hotline_number()
