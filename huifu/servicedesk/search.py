"""Staff text search over feedback (issue #9: a Chinese word over 10^6 items in < 300 ms).

PostgreSQL: each item's jieba tokens (``FeedbackItem.tokens``, stored when the item is saved) are
indexed as a ``tsvector`` with the ``simple`` configuration (no stemming, no stop words: the
tokens are already words) in a GIN index. The query is segmented by the same jieba and every word
must occur, as a word or the start of one (``保证金`` finds 保证金; ``做市`` finds 做市商). A form
matches when one of its items does, its contact person has exactly that name, or its company's
name contains the text. Each part is an indexed lookup; their union is one semi-join.

Lists page through the parts separately (``form_match_parts``, merged by ``huifu.core.keyset``).
A common word is the hard case: 保证金 is in every fourth item, and collecting its 10^5+ matches
from the GIN index to sort them for one page took 3 s at 10^6 items. So the item part depends on
the word's share of items, read from the index's statistics (``pg_stats.most_common_elems`` of
the indexed expression, refreshed by autovacuum's ANALYZE): a common word (``COMMON_SHARE`` or
more) is an ``EXISTS`` semi-join, run by walking the forms newest first and checking each one's
items until the page is full; a rare word's few matching forms are read from the GIN index
first. The planner cannot make this choice itself: for a prefix query (``做市:*``) it uses a
fixed 2% estimate unless the statistics hold 100 distinct words, and a walk for a word that
occurs nowhere reads every form (75 s at 10^6).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

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


COMMON_SHARE = 0.02  # of all items; a word this common is found by walking the forms newest first
RARE_LIMIT = 50_000  # a "rare" word with more matching items than this is walked after all


def word_share(text: str) -> float | None:
    """The estimated share of items containing every word of ``text`` (as words or word starts):
    the smallest, over its words, of the summed frequencies of the indexed words starting with
    it; 0.0 for a word too rare to be in the statistics, None without statistics."""
    words = list(dict.fromkeys(similarity.tokenize(text)))
    if not words:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [ITEM_TOKENS_INDEX],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    frequencies = list(zip(row[0], row[1], strict=False))
    return min(min(1.0, sum(f for elem, f in frequencies if elem.startswith(word))) for word in words)


def _companies(text: str) -> QuerySet:
    from huifu.directory.models import Organisation

    return Organisation.objects.filter(Q(name_zh__icontains=text) | Q(short_name__icontains=text))


def _contact(text: str) -> Q:
    return Q(contact_name=text) if connection.vendor == "postgresql" else Q(contact_name__icontains=text)


def form_match_parts(forms: QuerySet[FeedbackForm], text: str) -> list[QuerySet[FeedbackForm]]:
    """``forms`` narrowed to those matching ``text``, as three querysets whose union is the match
    (items, contact person, company name). Each is a plain AND filter the planner can drive from
    either side; page them with ``huifu.core.keyset.keyset_page`` (never OR them together: an OR
    turns the semi-join into a per-row sub-plan)."""
    return [
        _by_items(forms, text),
        forms.filter(_contact(text)),
        forms.filter(organisation__in=_companies(text).values("pk")),
    ]


def _by_items(forms: QuerySet[FeedbackForm], text: str) -> QuerySet[FeedbackForm]:
    items = matching_items(text)
    if connection.vendor == "postgresql":
        share = word_share(text)
        if share is not None and share < COMMON_SHARE:
            # Rare: its matches, from the GIN index, are few; the list sorts just those forms.
            ids = list(items.order_by().values_list("form_id", flat=True)[: RARE_LIMIT + 1])
            if len(ids) <= RARE_LIMIT:
                return forms.filter(pk__in=set(ids))
    # Common (or SQLite): each form, newest first, is checked for a matching item.
    return forms.filter(Exists(items.filter(form=OuterRef("pk"))))


def matching_form_ids(text: str) -> Any:
    """Ids of forms matching ``text`` (items, contact person, company name): a UNION of indexed
    lookups, to be used as ``pk__in`` (never inside an OR)."""
    by_items = matching_items(text).order_by().values("form_id")
    by_contact = FeedbackForm.objects.filter(_contact(text)).order_by().values("pk")
    by_company = FeedbackForm.objects.filter(organisation__in=_companies(text).values("pk")).order_by().values("pk")
    return by_items.union(by_contact, by_company, all=True)
