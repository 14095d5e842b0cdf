"""Every page says what its app means: for each entry of each app catalogue, the translation Django
shows at run time (merged catalogues: project catalogue huifu/locale first, then the app listed
first in INSTALLED_APPS, then third-party apps) is the app's own msgstr.

A clash means another catalogue silently replaces the app's wording. Fix it by agreeing on one
rendering (shared words live in huifu/core/vocabulary.py -> project catalogue) or, when the meaning
really differs, by a translation context: pgettext_lazy("<meaning>", "...") /
{% translate "..." context "<meaning>" %}."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext, pgettext

from .test_translations import CATALOGUES, ROOT, _entries


def _clashes() -> dict[tuple[str, str | None, str], tuple[str, str]]:
    found = {}
    with translation.override("zh-hans"):
        for po in CATALOGUES:
            app = po.relative_to(ROOT).parts[0]
            for e in _entries(po):
                if "msgid_plural" in e:
                    continue
                context = e.get("msgctxt")
                shown = pgettext(context, e["msgid"]) if context else gettext(e["msgid"])
                if shown != e["msgstr"]:
                    found[(app, context, e["msgid"])] = (e["msgstr"], shown)
    return found


def test_no_app_translation_is_replaced_by_another_catalogue():
    clashes = _clashes()
    lines = [
        f"{app} {ctx or ''} {msgid!r}: own {own!r}, shown {shown!r}"
        for (app, ctx, msgid), (own, shown) in clashes.items()
    ]
    assert not clashes, "translations replaced at run time:\n" + "\n".join(lines)
