"""Old Chinese rows read back in English (``huifu.core.texts``) in time that grows with the text,
whatever a member wrote: a comment that repeats a message's words (its separators again and
again, never its closing words) must not make the match try every split of the parameters. Before
the fix a 500-character comment on an activity kept an English page busy for seconds, and a longer
one for minutes."""

from __future__ import annotations

import time

from django.utils import translation

from huifu.core import texts


def _catalog() -> dict:
    return translation.trans_real.translation("zh-hans")._catalog


def _repeating(translated: str, repeats: int) -> str:
    """The message's opening words, then its inner separators ``repeats`` times, never its end."""
    literals = texts._PLACEHOLDER.split(translated)[0::2]
    inner = "".join(literals[1:-1]) or literals[-1]
    return literals[0] + inner * repeats


def test_no_message_lets_a_repeating_text_try_every_split():
    with translation.override("en"):
        _exact, by_first = texts._patterns("zh-hans")
        catalog = _catalog()
        patterns = [p for group in by_first.values() for p in group if len(p[2]) >= 3]
        assert patterns  # messages with three or more parameters exist (settlements, budget, files)
        started = time.perf_counter()
        for regex, msgid, _names in patterns:
            regex.match(_repeating(catalog[msgid], 30))
        assert time.perf_counter() - started < 1.0


def test_a_crafted_comment_is_read_quickly_and_real_rows_still_read_back():
    settlement = next(
        k for k, _msg in _catalog().items() if isinstance(k, str) and k.startswith("Settlement #%(id)s (")
    )
    crafted = _repeating(_catalog()[settlement], 30)
    with translation.override("en"):
        started = time.perf_counter()
        shown = texts.readable(crafted)  # not a settlement message (shorter messages may match parts)
        assert time.perf_counter() - started < 1.0
        assert "Settlement" not in shown
        # Rows the system wrote before message keys still read in English, a comment after them kept.
        assert texts.readable("批准金额 30,000.00 元。") == "Approved: 30,000.00 CNY."
        assert texts.readable("批准金额 30,000.00 元。 请尽快举办") == "Approved: 30,000.00 CNY. 请尽快举办"
        row = _catalog()[settlement] % {
            "id": "7",
            "run_start": "2026-01-01",
            "run_end": "2026-01-31",
            "state": "已批准",
            "first": "2026-01-05",
            "last": "2026-01-09",
            "days": "5",
        }
        english = texts.readable(row)
        assert english.startswith("Settlement #7 (2026-01-01 to 2026-01-31") and "结算" not in english
