"""``{% load audit_tags %}{% audit_history obj %}``: the history of a record, for staff, anywhere."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType

from huifu.audit.selectors import can_read_history, history_for

register = template.Library()

DEFAULT_LIMIT = 20


@register.inclusion_tag("audit/_history.html", takes_context=True)
def audit_history(context: template.Context, obj: Any, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None or not can_read_history(user):
        return {"visible": False}
    entries = history_for(obj, user=user, limit=limit + 1)
    ct = ContentType.objects.get_for_model(obj)
    return {
        "visible": True,
        "entries": entries[:limit],
        "more": len(entries) > limit,
        "full_url_args": (ct.app_label, ct.model, obj.pk),
    }
