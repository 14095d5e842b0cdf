"""Text the system writes at event time, read in the reader's language (issue #10, point 13).

A timeline entry, a queue title or an audit message is written once (in whatever language the
acting user had) and read later by people of either language. So it is stored as a *message key
with parameters*, ``stored_text("Approved: %(amount)s CNY.", amount="30,000.00")``, in the same
text column as before (no migration), and turned into words only when read: ``readable(value)``
in Python, ``{{ value|readable }}`` in templates (``{% load texts %}``).

Rows written before this existed hold finished words (``批准金额 30,000.00 元。``). ``readable``
reads them back through the catalogues: a Chinese text that is the translation of a known
message (its parameters matched) is shown as that message in the reader's language; anything
else is shown as it was written. Parameters themselves (a title, a company) stay as written."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, pgettext

# Starts every stored message. The invisible separator keeps it out of sight if a raw value is
# ever shown by code that does not read it (an export, the admin).
MARK = "\u2063t:"
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def stored_text(msgid: str, *, context: str = "", **params: Any) -> str:
    """The value to store for ``msgid`` % ``params``. Parameters are kept as text; a parameter
    that is itself a message (a choice label, a lazy string) is stored by its msgid."""
    data: dict[str, Any] = {"m": msgid, "p": {k: _param(v) for k, v in params.items()}}
    if context:
        data["c"] = context
    return MARK + json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _param(value: Any) -> Any:
    # A lazy translation (a choice label) keeps its msgid so it can be read in either language.
    args = getattr(value, "_args", None)
    if isinstance(args, tuple) and args and all(isinstance(a, str) for a in args) and len(args) <= 2:
        return {"m": args[-1], "c": args[0]} if len(args) == 2 else {"m": args[0]}
    return "" if value is None else str(value)


def _translate(msgid: str, context: str = "") -> str:
    return pgettext(context, msgid) if context else gettext(msgid)


def _read_param(value: Any) -> str:
    if isinstance(value, dict) and "m" in value:
        return _translate(value["m"], value.get("c", ""))
    return readable(value) if isinstance(value, str) else str(value)


def readable(value: Any) -> str:
    """``value`` in the active language: a stored message rendered, an old free-text row read
    back through the catalogues when it can be, otherwise as written. Free text may follow a
    stored message (``stored_text(…) + " " + comment``): it is kept as written."""
    if value is None:
        return ""
    text = str(value)
    if not text.startswith(MARK):
        return "\n".join(_legacy(line) for line in text.split("\n"))
    try:
        data, end = json.JSONDecoder().raw_decode(text, len(MARK))
        words = _translate(data["m"], data.get("c", ""))
        params = {k: _read_param(v) for k, v in (data.get("p") or {}).items()}
        return (words % params if params else words) + text[end:]
    except (ValueError, KeyError, TypeError):
        return text[len(MARK) :]


@functools.lru_cache(maxsize=4)
def _patterns(
    language: str,
) -> tuple[dict[str, str], dict[str | None, list[tuple[re.Pattern[str], str, tuple[str, ...]]]]]:
    """From the ``language`` catalogue: {exact translation: msgid} and, for messages with
    parameters, (regex of the translation, msgid, parameter names)."""
    catalog = translation.trans_real.translation(language)._catalog  # merged over every app
    exact: dict[str, str] = {}
    patterns = []
    for key, translated in catalog.items():
        if not isinstance(key, str) or not translated or "\x04" in key or not _CJK.search(translated):
            continue  # plural entries, contexts and untranslated words are not read back
        names = tuple(_PLACEHOLDER.findall(translated))
        if not names:
            exact.setdefault(translated, key)
            continue
        if set(names) != set(_PLACEHOLDER.findall(key)) or len(names) != len(set(names)):
            continue
        pieces = _PLACEHOLDER.split(translated)
        regex = "".join(re.escape(p) if i % 2 == 0 else _group(p, pieces[i + 1]) for i, p in enumerate(pieces))
        # A translation that ends in words may be followed by free text (a comment) on old rows.
        tail = "(?P<_rest>.*)" if pieces[-1].strip() else ""
        patterns.append((re.compile(f"^{regex}{tail}$", re.S), key, names))
    # Longer translations first: the most specific message wins.
    patterns.sort(key=lambda item: -len(item[0].pattern))
    # Indexed by the first character of the translation (None: it starts with a parameter), so a
    # row is tried against a handful of patterns, not all of them.
    by_first: dict[str | None, list[tuple[re.Pattern[str], str, tuple[str, ...]]]] = {}
    for item in patterns:
        literal = _PLACEHOLDER.split(catalog[item[1]])[0]
        by_first.setdefault(literal[0] if literal else None, []).append(item)
    return exact, by_first


def _group(name: str, following: str) -> str:
    """A parameter's group: it never runs past the words that follow it in the message, so it ends
    at the first place they appear. With plain ``.+?`` groups a text that repeats the message's
    words (a member's comment) made the match try every split: the time grew with the length to
    the power of the parameters, and a 500-character comment kept an English page busy for
    seconds, longer ones for minutes (huifu/core/tests/test_texts_read_back.py)."""
    if not following:
        return f"(?P<{name}>.+?)"
    return f"(?P<{name}>(?:(?!{re.escape(following)}).)+?)"


def _legacy(text: str) -> str:
    """An old row: finished Chinese words. Read them back as a message if they are one."""
    language = translation.get_language() or ""
    if not text or language.startswith("zh") or not _CJK.search(text):
        return gettext(text) if text and len(text) < 200 else text
    return _read_back(language, text)


@functools.lru_cache(maxsize=4096)
def _read_back(language: str, text: str) -> str:
    # Rows repeat (queue titles, timeline steps): read each once per process and language.
    exact, by_first = _patterns("zh-hans")
    if text in exact:
        return gettext(exact[text])
    for regex, msgid, _names in [*by_first.get(text[0], ()), *by_first.get(None, ())]:
        match = regex.match(text)
        if match:
            found = match.groupdict()
            rest = found.pop("_rest", "") or ""
            return gettext(msgid) % {k: readable(v) for k, v in found.items()} + rest
    return text
