"""The notices app's part of the global search (``huifu.search.registry``): published notices addressed to the user, read through the reader's notice list selector and text filter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(obj: Any) -> Hit:
    return Hit(title=obj.title, url=obj.get_absolute_url(), detail=obj.doc_number)


def find(*, user: Any, text: str, limit: int) -> Found:
    return first_hits(selectors.notice_list_for_reader(user=user, search=text), limit=limit, hit=_hit)


register(
    Provider(
        key="notices",
        label=pgettext_lazy("search", "Notices"),
        order=70,
        perm="notices.view_notice_list",
        find=find,
        more_url=lambda text: list_url("notices:list", text),
    )
)
