"""Reading educational works, scoped by the user who asks: ONE selector per model.

* ``works_for(user)``: staff every work in every state; a member company's users their
  company's works in every state and everybody's published works; anyone else nothing.
* ``public_work_list()``: published works for anyone, also without an account (public site).
Lists, details, files, search, the API and the home card all read through these.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_staff_user

from .models import ReachFigure, ReviewDecision, Work, WorkFile, WorkState


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def works_for(user: Any) -> QuerySet[Work]:
    """Every work ``user`` may read (not ordered, not joined)."""
    if is_staff_user(user):
        return Work.objects.all()
    if is_member_user(user) and user.organisation_id is not None:
        return Work.objects.filter(Q(organisation_id=user.organisation_id) | Q(state=WorkState.PUBLISHED))
    return Work.objects.none()


def work_list(*, user: Any) -> QuerySet[Work]:
    """The work list page, API and search: a constant number of queries (products prefetched)."""
    return works_for(user).select_related("organisation").prefetch_related("products").order_by("-updated_at", "-pk")


def work_get(*, user: Any, work_id: Any) -> Work:
    """One work the user may read; 404 alike for missing and not yours."""
    work = (
        works_for(user)
        .select_related("organisation", "created_by", "submitted_by", "reviewer")
        .prefetch_related(
            "products",
            "authors",
            Prefetch("files", queryset=WorkFile.objects.select_related("file")),
            Prefetch("decisions", queryset=ReviewDecision.objects.select_related("reviewer")),
            Prefetch("reach", queryset=ReachFigure.objects.select_related("entered_by")),
        )
        .filter(pk=_int(work_id))
        .first()
    )
    if work is None:
        raise Http404("work not found")
    return work


def review_queue(*, user: Any) -> QuerySet[Work]:
    """Works waiting for ``user``'s review: submitted works they did not write or submit, and the
    works they took into review."""
    if not is_staff_user(user):
        return Work.objects.none()
    return works_for(user).filter(
        (Q(state=WorkState.SUBMITTED) & ~Q(created_by=user) & ~Q(submitted_by=user))
        | Q(state=WorkState.IN_REVIEW, reviewer=user)
    )


def work_file_readable(user: Any, stored_file: Any) -> bool:
    """Files checker: a work's file is readable with the work (staff and the owning company are
    let through by the files app already)."""
    return WorkFile.objects.filter(file_id=stored_file.pk, work__in=works_for(user)).exists()


def public_work_list() -> QuerySet[Work]:
    """Published works for anyone. Drafts, works in review, approved-not-yet-published and withdrawn never."""
    return (
        Work.objects.filter(state=WorkState.PUBLISHED)
        .prefetch_related("products", "authors")
        .order_by("-published_on", "-pk")
    )


def public_work_get(*, work_id: Any) -> Work:
    work = public_work_list().filter(pk=_int(work_id)).first()
    if work is None:
        raise Http404("work not found")
    return work
