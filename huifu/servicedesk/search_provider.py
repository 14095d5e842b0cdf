"""The service desk's part of the global search (``huifu.search.registry``): Member Voice forms
and their items, found by the desk's own word search (``search.py``: jieba words through the
GIN index on PostgreSQL, with the common-word walk) inside the lists' selectors."""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator
from django.utils.translation import pgettext_lazy

from huifu.core.keyset import keyset_page
from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors
from .search import matching_items


def find_forms(*, user: Any, text: str, limit: int) -> Found:
    # The list's own search parts (items, contact person, company name), merged newest first.
    parts = selectors.form_list_parts(user=user, search=text)
    page = keyset_page(parts, by="-received_at", cursor=None, size=limit)
    hits = [Hit(title=str(form), url=form.get_absolute_url(), detail=form.contact_name) for form in page.object_list]
    count = len(hits) if not page.has_next else selectors.search_count(parts)
    return Found(hits=hits, count=count)


def _item_hit(item: Any) -> Hit:
    return Hit(title=Truncator(item.text).chars(60), url=item.get_absolute_url(), detail=str(item.form))


def find_items(*, user: Any, text: str, limit: int) -> Found:
    # The items the user may read (the same selector as the form pages) AND the word search:
    # one filter the planner can drive from the GIN index (a rare word) or from the newest
    # items (a common word), never a collected id list.
    qs = (matching_items(text) & selectors.items_for(user)).select_related("form__organisation").order_by("-pk")
    return first_hits(qs, limit=limit, hit=_item_hit, cap=selectors.SEARCH_COUNT_CAP)


register(
    Provider(
        key="feedback_forms",
        label=pgettext_lazy("search", "Member Voice forms"),
        order=20,
        perm="servicedesk.view_feedback_list",
        find=find_forms,
        more_url=lambda text: list_url("servicedesk:feedback_list", text),
    )
)
register(
    Provider(
        key="feedback_items",
        label=pgettext_lazy("search", "Suggestions and help requests"),
        order=21,
        perm="servicedesk.view_feedback_list",
        find=find_items,
        more_url=lambda text: list_url("servicedesk:feedback_list", text),
    )
)
