"""What a search box may send: the text is cleaned here once, for the page and the tests."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from .registry import MAX_QUERY_LENGTH


def clean_query(raw: str | None) -> tuple[str, str]:
    """``(text, problem)``: the text with its spaces collapsed, or "" and a message naming the
    problem (nothing typed, too long, no letter, digit or Chinese character in it)."""
    text = " ".join((raw or "").split())
    if not text:
        return "", _("Type a word to search for, e.g. a company name or 保证金.")
    if len(text) > MAX_QUERY_LENGTH:
        return "", _("Search text: at most %(n)d characters (you typed %(got)d).") % {
            "n": MAX_QUERY_LENGTH,
            "got": len(text),
        }
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        return "", _("Search text: type at least one letter, digit or Chinese character.")
    return text, ""
