"""Staff text search over feedback (issue #9: a Chinese word over 10^6 items in < 300 ms).

PostgreSQL: each item's jieba tokens (``FeedbackItem.tokens``, stored when the item is saved) are
indexed as a ``tsvector`` with the ``simple`` configuration (no stemming, no stop words: the
tokens are already words) in a GIN index. The query is segmented by the same jieba and every word
must occur, as a word or the start of one (``保证金`` finds 保证金; ``做市`` finds 做市商). A form
matches when one of its items does, its contact person has exactly that name, or its company's
name contains the text. Each part is an indexed lookup; their union is one semi-join.

SQLite (tests, development): ``icontains`` over the item text for each space-separated part.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from . import similarity
from .models import FeedbackForm, FeedbackItem

ITEM_TOKENS_INDEX = "servicedesk_item_tokens_fts"
# The expression Django's SearchVector("tokens", config="simple") renders; the index must match it.
ITEM_TOKENS_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {ITEM_TOKENS_INDEX} ON servicedesk_feedbackitem "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(tokens, ''::text)))"
)


def _tsquery(text: str) -> str:
    """Every jieba word of ``text`` as a prefix term, ANDed; '' when no word is left."""
    words = dict.fromkeys(similarity.tokenize(text))
    return " & ".join("'{}':*".format(word.replace("\\", "\\\\").replace("'", "''")) for word in words)


def matching_items(text: str) -> QuerySet[FeedbackItem]:
    """Items whose text contains ``text`` (PostgreSQL: all its words, through the GIN index)."""
    query = _tsquery(text) if connection.vendor == "postgresql" else ""
    if not query:
        qs = FeedbackItem.objects.all()
        for part in text.split() or [text]:
            qs = qs.filter(text__icontains=part)
        return qs
    from django.contrib.postgres.search import SearchQuery, SearchVector

    return FeedbackItem.objects.annotate(_fts=SearchVector("tokens", config="simple")).filter(
        _fts=SearchQuery(query, search_type="raw", config="simple")
    )


def matching_form_ids(text: str) -> Any:
    """Ids of forms matching ``text`` (items, contact person, company name): a UNION of indexed
    lookups, to be used as ``pk__in`` (never inside an OR)."""
    from huifu.directory.models import Organisation

    by_items = matching_items(text).order_by().values("form_id")
    contact = Q(contact_name=text) if connection.vendor == "postgresql" else Q(contact_name__icontains=text)
    by_contact = FeedbackForm.objects.filter(contact).order_by().values("pk")
    companies = Organisation.objects.filter(Q(name_zh__icontains=text) | Q(short_name__icontains=text))
    by_company = FeedbackForm.objects.filter(organisation__in=companies.values("pk")).order_by().values("pk")
    return by_items.union(by_contact, by_company, all=True)
