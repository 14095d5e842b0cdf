"""Reading visits, always scoped by the user who asks.

Staff see every visit; member and partner users see their own organisation's; everyone else
nothing. Another organisation's visit answers 404, exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_partner_user, is_staff_user
from huifu.tracking.models import TrackedItem

from .models import VisitRequest, VisitRound, VisitStatus


def visits_for_user(user: Any) -> QuerySet[VisitRequest]:
    qs = VisitRequest.objects.select_related("organisation", "requested_by", "letter", "arranged_by")
    if is_staff_user(user):
        return qs
    if (is_member_user(user) or is_partner_user(user)) and user.organisation_id is not None:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def visit_list_for_user(
    *, user: Any, status: str = "", search: str = "", open_only: bool = False
) -> QuerySet[VisitRequest]:
    qs = visits_for_user(user)
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=VisitStatus.open())
    if search:
        qs = visit_search(qs, search)
    return qs.prefetch_related(
        Prefetch("rounds", queryset=VisitRound.objects.order_by("number")),
    ).order_by("-received_at", "-id")


def visit_search(qs: QuerySet[VisitRequest], text: str) -> QuerySet[VisitRequest]:
    """Visits of ``qs`` whose company, purpose, topics or contact contain ``text`` (the list's text filter)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(organisation__name_zh__icontains=text)
        | Q(purpose__icontains=text)
        | Q(topics__icontains=text)
        | Q(contact_name__icontains=text)
    )


def visit_get_for_user(*, user: Any, visit_id: int) -> VisitRequest:
    try:
        return visits_for_user(user).prefetch_related("attendees", "rounds").get(pk=visit_id)
    except VisitRequest.DoesNotExist:
        raise Http404("visit not found")


def visit_deadlines(visits: list[VisitRequest]) -> dict[int, TrackedItem]:
    """The tracked item of each visit's latest round, in one query: {visit id: item}."""
    from django.contrib.contenttypes.models import ContentType

    latest = {}
    for visit in visits:
        rounds = list(visit.rounds.all())
        if rounds:
            latest[str(rounds[-1].pk)] = visit.pk
    if not latest:
        return {}
    items = TrackedItem.objects.filter(
        target_type=ContentType.objects.get_for_model(VisitRound), target_id__in=list(latest), kind="visit"
    )
    return {latest[item.target_id]: item for item in items}


def visit_file_readable(user: Any, stored_file: Any) -> bool:
    """Files of a visit (letter, invitation) are readable by staff (the files app decides that
    already) and the visiting organisation (its own files). Nobody else."""
    return False
