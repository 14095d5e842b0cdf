"""Reading feedback, scoped by the user: members see their own company's submitted forms only;
staff see everything. "Not yours" raises Http404 exactly like "does not exist"."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_staff_user
from huifu.core.home import COUNT_CAP
from huifu.tracking.models import TrackedItem, TrackedStatus

from . import similarity
from .models import (
    AudienceKind,
    CollectiveAnswer,
    DepartmentAnswer,
    FeedbackForm,
    FeedbackItem,
    FormStatus,
    ItemStatus,
    Reply,
    ReplyStatus,
)
from .search import form_match_parts, matching_form_ids
from .services.common import FORM_KIND, SEAL_PURPOSE


def forms_for(user: Any) -> QuerySet[FeedbackForm]:
    if is_staff_user(user):
        return FeedbackForm.objects.all()
    if is_member_user(user) and user.organisation_id is not None:
        return FeedbackForm.objects.filter(organisation_id=user.organisation_id).exclude(status=FormStatus.DRAFT)
    return FeedbackForm.objects.none()


def _with_deadline(qs: QuerySet[FeedbackForm]) -> QuerySet[FeedbackForm]:
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Subquery
    from django.db.models.functions import Cast

    tracked = TrackedItem.objects.filter(
        target_type=ContentType.objects.get_for_model(FeedbackForm),
        kind=FORM_KIND,
        target_id=Cast(OuterRef("pk"), output_field=TrackedItem._meta.get_field("target_id")),
    )
    return qs.annotate(
        due_at=Subquery(tracked.values("due_at")[:1]),
        tracked_status=Subquery(tracked.values("status")[:1]),
        tracked_on_time=Subquery(tracked.values("on_time")[:1]),
        tracked_provisional=Subquery(tracked.values("provisional")[:1]),
    )


def _form_filter(
    *, user: Any, status: str = "", organisation_id: int | None = None, channel: str = ""
) -> QuerySet[FeedbackForm]:
    qs = forms_for(user)
    if status == "open" or status in FormStatus.values:
        qs = qs.filter(form_status_q(status))
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def form_status_q(status: str) -> Q:
    """The forms in ``status``: a form status, or "open" (any open state); an unknown value none."""
    if status == "open":
        return Q(status__in=FormStatus.open_group())
    if status in FormStatus.values:
        return Q(status=status)
    return Q(pk__in=[])


def _list_columns(qs: QuerySet[FeedbackForm]) -> QuerySet[FeedbackForm]:
    """The list's per-row columns: item count, a sent reply, the reply deadline (evaluated for
    the rows shown only), newest first."""
    n_items = (
        FeedbackItem.objects.filter(form=OuterRef("pk")).order_by().values("form").annotate(n=Count("pk")).values("n")
    )
    qs = qs.select_related("organisation").annotate(
        n_items=Subquery(n_items[:1]),
        has_reply=Exists(Reply.objects.filter(form=OuterRef("pk"), status=ReplyStatus.SENT)),
    )
    return _with_deadline(qs).order_by("-received_at", "-pk")


def form_list(
    *, user: Any, status: str = "", organisation_id: int | None = None, channel: str = "", search: str = ""
) -> QuerySet[FeedbackForm]:
    """Every listed form as one queryset. With ``search`` it holds every match (an id set): lists
    page the matches with ``form_list_parts`` instead, which never collects them all."""
    qs = _form_filter(user=user, status=status, organisation_id=organisation_id, channel=channel)
    return form_rows(qs, search=search)


def form_rows(qs: QuerySet[FeedbackForm], *, search: str = "") -> QuerySet[FeedbackForm]:
    """``form_list`` of ``qs``: forms the user may read (``forms_for``), already filtered
    (``servicedesk.filters.FormFilter``), with the list's columns."""
    if search:
        qs = qs.filter(pk__in=matching_form_ids(search))
    return _list_columns(qs)


def form_list_parts(
    *, user: Any, status: str = "", organisation_id: int | None = None, channel: str = "", search: str = ""
) -> list[QuerySet[FeedbackForm]]:
    """The list as querysets whose union it is, for ``huifu.core.keyset.keyset_page`` (by
    ``-received_at``): one without ``search``, one per kind of match with it (``search.
    form_match_parts``: each walked in its index only as far as a page needs)."""
    qs = _form_filter(user=user, status=status, organisation_id=organisation_id, channel=channel)
    return form_row_parts(qs, search=search)


def form_row_parts(qs: QuerySet[FeedbackForm], *, search: str = "") -> list[QuerySet[FeedbackForm]]:
    """``form_list_parts`` of ``qs``: forms the user may read (``forms_for``), already filtered
    (``servicedesk.filters.FormFilter``)."""
    parts = form_match_parts(qs, search) if search else [qs]
    return [_list_columns(part) for part in parts]


# Search results count to 200 ("200+"), not to 999 as other lists: each counted form of a common
# word costs a check of its items' words (about 40 µs), so 999 cost 250 ms on a busy machine at
# 10^6 items, 200 cost 40 ms.
SEARCH_COUNT_CAP = 200


def search_count(parts: list[QuerySet]) -> int | str:
    return capped_count(parts, cap=SEARCH_COUNT_CAP)


def capped_count(parts: list[QuerySet], cap: int | None = None) -> int | str:
    """How many rows the union of ``parts`` holds, up to ``cap`` ("999+" beyond): each part reads
    at most ``cap + 1`` ids in its list order, so a part that pages by walking an index counts
    the same way (a common word's forms newest first, stopping at the cap)."""
    cap = COUNT_CAP if cap is None else cap
    ids: set[Any] = set()
    for part in parts:
        ids.update(part.select_related(None).values_list("pk", flat=True)[: cap + 1])
    return len(ids) if len(ids) <= cap else f"{cap}+"


def form_get(*, user: Any, form_id: Any) -> FeedbackForm:
    try:
        pk = int(form_id)
    except (TypeError, ValueError):
        raise Http404 from None
    answers = Prefetch("answers", queryset=DepartmentAnswer.objects.select_related("department", "author"))
    items = Prefetch(
        "items",
        queryset=FeedbackItem.objects.select_related("owner", "collective_answer").prefetch_related(
            "departments", "topics", answers
        ),
    )
    form = (
        forms_for(user)
        .select_related("organisation", "seal_scan", "submitted_by", "source_file")
        .prefetch_related(items)
        .filter(pk=pk)
        .first()
    )
    if form is None:
        raise Http404
    return form


def reply_for(*, user: Any, form: FeedbackForm) -> Reply | None:
    """The reply of ``form``: staff see drafts too; members only what was sent."""
    qs = Reply.objects.select_related("letter", "ics", "approved_by", "drafted_by").filter(form=form)
    if not is_staff_user(user):
        qs = qs.filter(status=ReplyStatus.SENT)
    reply = qs.first()
    if reply is not None:
        reply.rating = getattr(reply, "satisfaction", None) if hasattr(reply, "satisfaction") else None
    return reply


def collective_visible_q(user: Any) -> Q:
    if is_staff_user(user):
        return Q()
    if is_member_user(user) and user.organisation_id is not None:
        return Q(audience_kind=AudienceKind.ALL_MEMBERS) | Q(audience_organisations=user.organisation_id)
    return Q(pk__in=[])


def collective_answers_for(user: Any) -> QuerySet[CollectiveAnswer]:
    return CollectiveAnswer.objects.filter(collective_visible_q(user)).distinct().select_related("topic", "notice")


def item_get_for_staff(*, user: Any, item_id: Any) -> FeedbackItem:
    if not is_staff_user(user):
        raise Http404
    item = (
        FeedbackItem.objects.select_related("form", "organisation", "owner", "collective_answer")
        .prefetch_related(
            "departments",
            "topics",
            "linked__organisation",
            Prefetch("answers", queryset=DepartmentAnswer.objects.select_related("department", "author")),
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise Http404
    return item


def similar_items(item: FeedbackItem, limit: int = 5) -> list[tuple[FeedbackItem, float]]:
    """Likely similar items (other forms, not yet answered, not already linked), best first.

    Candidates share at least one stored keyword (an indexed-ish LIKE on a short column, capped);
    the score is the cosine of jieba token counts."""
    words = [w for w in item.keywords.split() if w][:4]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(keywords__contains=f" {word} ")
    linked = [i.pk for i in item.linked.all()]
    candidates = (
        FeedbackItem.objects.filter(match)
        .exclude(pk=item.pk)
        .exclude(pk__in=linked)
        .exclude(status__in=ItemStatus.answered())
        .select_related("organisation")
        .only("pk", "text", "tokens", "number", "kind", "organisation__name_zh", "organisation__name_en", "form_id")
        .order_by("-pk")[:300]
    )
    return similarity.rank(item.tokens, [(c, c.tokens) for c in candidates], limit=limit)


def staff_items(*, user: Any, topic_id: int | None = None) -> QuerySet[FeedbackItem]:
    if not is_staff_user(user):
        return FeedbackItem.objects.none()
    qs = FeedbackItem.objects.select_related("organisation", "form", "owner").prefetch_related("topics")
    if topic_id:
        qs = qs.filter(topics=topic_id)
    return qs.order_by("-pk")


def stored_file_readable(user: Any, stored_file: Any) -> bool:
    """Files attached to feedback are read by staff and the owning company only (the files app
    already allows both); anyone else never."""
    return False


def items_for(user: Any) -> QuerySet[FeedbackItem]:
    """Items ``user`` may read: staff every item; a member its company's submitted forms' items."""
    if is_staff_user(user):
        return FeedbackItem.objects.all()
    if is_member_user(user) and user.organisation_id is not None:
        # Newest first, the list walks the company's items in their (organisation, -id) index and
        # looks up each one's form to leave out drafts: it reads the page's rows, never another
        # company's (issue #9: 374 ms at 10^6). The company is named on the item side only: the
        # same condition on the form too made the planner multiply the two selectivities,
        # expect a dozen rows and start from the company's forms, sorting all their items.
        return FeedbackItem.objects.filter(organisation_id=user.organisation_id).exclude(form__status=FormStatus.DRAFT)
    return FeedbackItem.objects.none()


def item_list(*, user: Any, form_id: int | None = None, topic_id: int | None = None, status: str = "") -> QuerySet:
    """Items with their form, company, owner, departments and topics loaded (constant queries)."""
    qs = items_for(user)
    if form_id:
        qs = qs.filter(form_id=form_id)
    if topic_id:
        qs = qs.filter(topics=topic_id)
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    return item_rows(qs)


def item_rows(qs: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    """``item_list`` of ``qs``: items the user may read (``items_for``), already filtered
    (``servicedesk.filters.ItemFilter``), with what a row shows loaded."""
    return (
        qs.select_related("form", "organisation", "owner", "collective_answer")
        .prefetch_related("departments", "topics")
        .order_by("-pk")
    )


def item_get(*, user: Any, item_id: Any) -> FeedbackItem:
    try:
        pk = int(item_id)
    except (TypeError, ValueError):
        raise Http404 from None
    item = item_list(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


def replies_for(user: Any) -> QuerySet[Reply]:
    """Replies ``user`` may read: staff all (drafts too); a member its company's sent replies."""
    qs = Reply.objects.select_related("form__organisation", "letter", "ics", "satisfaction")
    if is_staff_user(user):
        return qs.order_by("-pk")
    if is_member_user(user) and user.organisation_id is not None:
        return qs.filter(form__organisation_id=user.organisation_id, status=ReplyStatus.SENT).order_by("-pk")
    return Reply.objects.none()


def reply_get(*, user: Any, reply_id: Any) -> Reply:
    try:
        pk = int(reply_id)
    except (TypeError, ValueError):
        raise Http404 from None
    reply = replies_for(user).filter(pk=pk).first()
    if reply is None:
        raise Http404
    return reply


def collective_answer_get(*, user: Any, answer_id: Any) -> CollectiveAnswer:
    try:
        pk = int(answer_id)
    except (TypeError, ValueError):
        raise Http404 from None
    answer = collective_answers_for(user).filter(pk=pk).first()
    if answer is None:
        raise Http404
    return answer


def open_tracked_count() -> int:
    return TrackedItem.objects.filter(kind=FORM_KIND, status__in=TrackedStatus.open_group()).count()


__all__ = [
    "SEAL_PURPOSE",
    "collective_answer_get",
    "collective_answers_for",
    "form_get",
    "form_list",
    "forms_for",
    "item_get",
    "item_get_for_staff",
    "item_list",
    "items_for",
    "replies_for",
    "reply_for",
    "reply_get",
    "similar_items",
    "staff_items",
    "stored_file_readable",
]
