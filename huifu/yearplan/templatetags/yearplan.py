from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def runs(paragraph: list[list[Any]]) -> str:
    """A document paragraph: text, and footnote marks linking to the notes."""
    return format_html_join(
        "",
        "{}",
        (
            (value,) if kind == "t" else (format_html('<sup><a href="#fn-{0}">{0}</a></sup>', value),)
            for kind, value in paragraph
        ),
    )
