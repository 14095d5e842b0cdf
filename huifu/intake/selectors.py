"""Reading intake messages: staff only; everyone else sees nothing (404 on a detail)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_staff_user

from .models import IntakeMessage


def messages_for_user(user: Any) -> QuerySet[IntakeMessage]:
    if not is_staff_user(user):
        return IntakeMessage.objects.none()
    return IntakeMessage.objects.select_related("organisation", "feedback_form", "resolved_by")


def message_list_for_user(*, user: Any, status: str = "", search: str = "") -> QuerySet[IntakeMessage]:
    qs = messages_for_user(user).annotate(attachment_count=Count("attachments"))
    if status:
        qs = qs.filter(status=status)
    if search:
        from django.db.models import Q

        qs = qs.filter(
            Q(subject__icontains=search)
            | Q(from_address__icontains=search)
            | Q(organisation__name_zh__icontains=search)
        )
    return qs.order_by("-received_at", "-id")


def message_get_for_user(*, user: Any, message_id: int) -> IntakeMessage:
    try:
        return messages_for_user(user).select_related("raw").prefetch_related("attachments__file").get(pk=message_id)
    except IntakeMessage.DoesNotExist:
        raise Http404("message not found")
