"""Reading tracked items, scoped by the user."""

from __future__ import annotations

from functools import cache as memoize
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Collate, NullIf
from django.utils import timezone
from django.utils.translation import get_language

from huifu.accounts.predicates import is_coordinator, is_staff_user
from huifu.core.home import COUNT_CAP

from .models import TrackedItem, TrackedStatus

STATUS_FILTERS = ("active", "open", "paused", "overdue", "done", "cancelled", "all")


def assigned_to_department(department_id: int) -> Q:
    """Items assigned to the department, as lead or as one of several departments (the lead is
    always among ``departments``, kept so by ``tracked_open`` / ``tracked_assign``): a plain
    ``pk IN (SELECT …)`` on the M2M table, never inside an OR, so PostgreSQL turns it into a
    semi-join over the (department, item) index at any size and any ``work_mem``."""
    through = TrackedItem.departments.through.objects.filter(department_id=department_id)
    return Q(pk__in=through.values("trackeditem_id"))


def _visible_ids(user: Any) -> QuerySet:
    """The ids a non-coordinator staff member may see: their own items, plus those assigned to
    their department. A UNION of two indexed lookups (owner index, M2M department index), so no
    uncorrelated subquery sits inside an OR: such a subquery only runs hashed while its set fits
    in ``work_mem`` and otherwise becomes a linear scan per row (issue #9)."""
    own = TrackedItem.objects.filter(owner_id=user.pk).order_by().values("pk")
    if user.department_id is None:
        return own
    through = TrackedItem.departments.through.objects.filter(department_id=user.department_id)
    # UNION ALL (IN removes duplicates anyway): a hashed semi-join for counts; pages read
    # ``queue_parts`` instead, which walk the due-date index.
    return own.union(through.order_by().values("trackeditem_id"), all=True)


def tracked_items_for(user: Any) -> QuerySet[TrackedItem]:
    """Every tracked item ``user`` may see in the queue: none for non-staff; the coordinator all;
    other staff their own and those assigned to their department (lead or not)."""
    if not is_staff_user(user):
        return TrackedItem.objects.none()
    qs = TrackedItem.objects.all()
    if not is_coordinator(user):
        qs = qs.filter(pk__in=_visible_ids(user))
    return qs


def queue_for(*, user: Any, **filters: Any) -> QuerySet[TrackedItem]:
    """The work queue: sorted by due date (earliest first), with owner/department/company loaded.
    ``filters``: status ("active" by default), kind, topic, organisation_id, department_id, mine."""
    return _filtered(tracked_items_for(user), user=user, **filters)


def queue_parts(*, user: Any, **filters: Any) -> list[QuerySet[TrackedItem]]:
    """The queue as querysets that each walk an index in due order, for a keyset page to merge:
    the coordinator's (or a staff member without department's) one queryset; otherwise the
    department's items (a semi-join probing the (item, department) index per row, no OR) and the
    user's own items (the owner index). A page reads at most a page and one row from each."""
    if not is_staff_user(user) or is_coordinator(user) or user.department_id is None:
        return [queue_for(user=user, **filters)]
    links = TrackedItem.departments.through.objects.filter(
        trackeditem_id=OuterRef("pk"), department_id=user.department_id
    )
    return [
        _filtered(TrackedItem.objects.filter(Exists(links)), user=user, **filters),
        _filtered(TrackedItem.objects.filter(owner_id=user.pk), user=user, **filters),
    ]


def _filtered(
    qs: QuerySet[TrackedItem],
    *,
    user: Any,
    status: str = "active",
    kind: str = "",
    topic: str = "",
    organisation_id: int | None = None,
    department_id: int | None = None,
    owner_id: int | None = None,
    mine: bool = False,
    department: int | None = None,
) -> QuerySet[TrackedItem]:
    now = timezone.now()
    department_id = department_id or department  # the home card's link names it ``department``
    if status in ("", "active"):
        qs = qs.filter(status__in=list(TrackedStatus.open_group()))
    elif status == "overdue":
        qs = qs.filter(status=TrackedStatus.OPEN, due_at__lt=now)
    elif status in TrackedStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topic=topic)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if department_id:
        qs = qs.filter(assigned_to_department(department_id))
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if mine:
        qs = qs.filter(owner_id=user.pk)
    return qs.select_related("owner", "department", "organisation").order_by("due_at", "pk")


# The queue's orderings: the sort keys after which the primary key decides.
# By deadline and by state each part is read in order from an index (models.TrackedItem.Meta.indexes),
# so a keyset page costs the same at 10^6 rows. By company the items are ordered by the company's
# name in the reader's language (items without a company first), then by company id (two companies
# may share a name), then by due date: a name lives in another app's table, so the database joins
# the companies and sorts the matching items — bounded by the open queue, not the whole history.
SORTS = {
    "deadline": ("due_at",),
    "company": ("org_name", "org_key", "due_at"),
    "state": ("status", "due_at"),
}

# ICU collations of PostgreSQL (built --with-icu, as Debian's is): Chinese names in pinyin order,
# English ones in dictionary order (a before B). Without ICU, or on SQLite, names sort by the
# database's default collation (on SQLite: by code point, which groups Chinese names by radical):
# still one stable order, so the keyset pages stay exact.
ICU_COLLATIONS = {"zh": "zh-x-icu", "en": "und-x-icu"}


@memoize
def _available_collations(vendor: str) -> frozenset[str]:
    """The ICU collations this database has (read once per process)."""
    if vendor != "postgresql":
        return frozenset()
    with connection.cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation WHERE collname = ANY(%s)", [list(ICU_COLLATIONS.values())])
        return frozenset(row[0] for row in cursor.fetchall())


def company_sort_name() -> Any:
    """The company's name as the reader reads it (English name in English when there is one),
    "" for an item without a company, in the language's collation where the database has it."""
    english = (get_language() or "").startswith("en")
    if english:
        name = Coalesce(NullIf(F("organisation__name_en"), Value("")), F("organisation__name_zh"), Value(""))
    else:
        name = Coalesce(F("organisation__name_zh"), Value(""))
    collation = ICU_COLLATIONS["en" if english else "zh"]
    if collation in _available_collations(connection.vendor):
        return Collate(name, collation)
    return name


def sorted_parts(parts: list[QuerySet[TrackedItem]], *, sort: str, status: str) -> list[QuerySet[TrackedItem]]:
    """``parts`` prepared for ``keyset_page_keys`` with the keys of ``SORTS[sort]``. By state,
    each part is split per status value: ``status IN (…)`` ahead of ``ORDER BY status, due_at``
    would make PostgreSQL 15 sort every matching row; ``status = 'open'`` walks the index.
    By company, a department member's two parts become one query: the page is then in the
    database's order (its collation), which Python could not reproduce when merging parts."""
    if sort == "company":
        combined = parts[0]
        for part in parts[1:]:
            combined = combined | part
        return [combined.annotate(org_name=company_sort_name(), org_key=Coalesce(F("organisation_id"), Value(0)))]
    if sort == "state":
        if status in ("", "active"):
            values = list(TrackedStatus.open_group())
        elif status == "all":
            values = list(TrackedStatus.values)
        else:
            return parts  # one status already
        return [part.filter(status=value) for part in parts for value in values]
    return parts


TOPICS_CACHE_KEY = "tracking:queue-topics"


def queue_topics() -> list[str]:
    """The topics items carry (a filter's choices), read once every ten minutes: a DISTINCT over
    the topic index reads every entry (PostgreSQL has no skip scan), ~100 ms at 10^6 rows."""
    topics = cache.get(TOPICS_CACHE_KEY)
    if topics is None:
        topics = sorted(
            TrackedItem.objects.exclude(topic="").order_by().values_list("topic", flat=True).distinct()[:500]
        )
        cache.set(TOPICS_CACHE_KEY, topics, 600)
    return topics


def _capped_count(qs: QuerySet[TrackedItem]) -> int:
    """How many rows ``qs`` holds, counting at most ``COUNT_CAP + 1``: ``SELECT count(*) FROM
    (SELECT id … LIMIT 1000)``, one row back instead of the ids. ``qs``'s order is kept: a
    department's part walks the active items' due-date index (index-only, no table rows)."""
    return qs.select_related(None).values("pk")[: COUNT_CAP + 1].count()


def queue_counts(*, user: Any) -> dict[str, int | str]:
    """Open-or-paused and overdue counts, exact up to ``COUNT_CAP`` and shown as "999+" beyond,
    for everybody: at 10^6 tracked items the coordinator's exact count read 220,000 index entries
    on every view, a department's read every item of the department (issue #9: 6 s). Each count
    reads at most ``COUNT_CAP + 1`` rows of an index. A department member's queue is two disjoint
    parts, counted one by one: the items linked to the department, and their own items that are
    not linked to it."""
    now = timezone.now()
    if is_coordinator(user) or not is_staff_user(user) or user.department_id is None:
        qs = tracked_items_for(user)
        parts = {
            "active": [qs.filter(status__in=TrackedStatus.open_group())],
            "overdue": [qs.filter(status=TrackedStatus.OPEN, due_at__lt=now)],
        }
    else:
        linked = Exists(
            TrackedItem.departments.through.objects.filter(
                trackeditem_id=OuterRef("pk"), department_id=user.department_id
            )
        )
        department = TrackedItem.objects.filter(linked).order_by("due_at", "pk")
        own = TrackedItem.objects.filter(owner_id=user.pk).exclude(linked).order_by("due_at", "pk")
        parts = {
            "active": [qs.filter(status__in=TrackedStatus.open_group()) for qs in (department, own)],
            "overdue": [qs.filter(status=TrackedStatus.OPEN, due_at__lt=now) for qs in (department, own)],
        }
    counts: dict[str, int | str] = {}
    for name, querysets in parts.items():
        n = 0
        for qs in querysets:
            n += _capped_count(qs)
            if n > COUNT_CAP:
                break
        counts[name] = n if n <= COUNT_CAP else f"{COUNT_CAP}+"
    return counts


def queue_kinds(*, user: Any) -> list[str]:
    return list(tracked_items_for(user).order_by().values_list("kind", flat=True).distinct())
