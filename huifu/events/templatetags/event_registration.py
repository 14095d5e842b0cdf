"""``{% load event_registration %}``: seats per audience quota, the open pool and the company
limit on the session page (two queries at most, whatever the number of registrations)."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import Audience
from ..services.registrations import POOL, SeatPlan

register = template.Library()


@register.inclusion_tag("events/registration/_session_section.html")
def session_seat_plan(session: Any) -> dict[str, Any]:
    """Rows (label, taken, seats) per bucket, shown when the session has quotas or a company limit."""
    if not session.audience_quotas and session.company_seat_limit is None:
        return {"visible": False}
    plan = SeatPlan(session)
    rows = [
        {
            "label": str(Audience(bucket).label) if bucket != POOL else None,
            "taken": plan.used.get(bucket, 0),
            "seats": size,
        }
        for bucket, size in plan.sizes.items()
    ]
    rows.sort(key=lambda row: row["label"] is None)  # the open pool last
    return {
        "visible": True,
        "rows": rows,
        "limit": plan.limit,
        "full_companies": len(plan.full_organisations()),
        "waiting_list": session.waiting_list,
    }
