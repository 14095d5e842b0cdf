"""Reading the hotline: the number in force, and calls (staff only)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from huifu.accounts.predicates import is_staff_user

from .models import HotlineCall, HotlineSetting


def fallback_number() -> str:
    """Shown when no setting has been recorded yet: the exchange's phone (its identity, data)."""
    from huifu.core.identity import exchange

    return exchange().phone


def setting_current(on: datetime.date | None = None) -> HotlineSetting | None:
    """The setting in force on ``on`` (today): the latest effective_from not after it. One query."""
    day = on or timezone.localdate()
    return HotlineSetting.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


def hotline_number(on: datetime.date | None = None) -> str:
    current = setting_current(on)
    return current.number if current is not None else fallback_number()


def setting_history() -> QuerySet[HotlineSetting]:
    return HotlineSetting.objects.select_related("created_by").order_by("-effective_from")


def calls_for_user(user: Any) -> QuerySet[HotlineCall]:
    if not is_staff_user(user):
        return HotlineCall.objects.none()
    return HotlineCall.objects.select_related("organisation", "follow_up_owner", "follow_up_department", "logged_by")


def call_list_for_user(
    *, user: Any, topic: str = "", follow_up: str = "", organisation_id: int | None = None, search: str = ""
) -> QuerySet[HotlineCall]:
    qs = calls_for_user(user)
    if topic:
        qs = qs.filter(topic=topic)
    if follow_up:
        qs = qs.filter(follow_up_status=follow_up)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if search:
        qs = call_search(qs, search)
    return qs.order_by("-received_at", "-id")


def call_search(qs: QuerySet[HotlineCall], search: str) -> QuerySet[HotlineCall]:
    """Calls whose caller, phone, company or question contains ``search`` (page and API filter)."""
    search = (search or "").strip()
    if not search:
        return qs
    return qs.filter(
        Q(caller_name__icontains=search)
        | Q(caller_phone__icontains=search)
        | Q(company_name__icontains=search)
        | Q(organisation__name_zh__icontains=search)
        | Q(question__icontains=search)
    )


def call_get_for_user(*, user: Any, call_id: int) -> HotlineCall:
    try:
        return calls_for_user(user).get(pk=call_id)
    except HotlineCall.DoesNotExist:
        raise Http404("call not found")
