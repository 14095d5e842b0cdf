"""Chinese is the default language: every catalogue is complete, nothing is fuzzy, and the
compiled .mo that Django reads matches the .po that people edit (a forgotten compilemessages
shows English to users)."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "huifu"
CATALOGUES = sorted(ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def _entries(po: Path) -> list[dict[str, str | bool]]:
    entries, current, field = [], None, None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and "msgid" in current:
                entries.append(current)
            current, field = None, None
            continue
        current = current if current is not None else {"fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[")):
            field, _, literal = line.partition(" ")
            field = field.split("[")[0]
            current[field] = current.get(field, "") + ast.literal_eval(literal)
        elif line.startswith('"') and field:
            current[field] = current.get(field, "") + ast.literal_eval(line)
    return [e for e in entries if e.get("msgid")]


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 10


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete_and_compiled(po: Path):
    entries = _entries(po)
    untranslated = [e["msgid"] for e in entries if not e.get("msgstr")]
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert not untranslated, f"{po}: untranslated {untranslated[:10]}"
    assert not fuzzy, f"{po}: fuzzy {fuzzy[:10]}"
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in entries:
        if "msgid_plural" in e:
            continue
        key = f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]
        if compiled._catalog.get(key) != e["msgstr"]:  # noqa: SLF001
            stale.append(e["msgid"])
    assert not stale, f"{po.with_suffix('.mo')} is not compiled from the current .po: {stale[:10]}"
