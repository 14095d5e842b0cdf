"""The online-attendance section of the session page (``{% attendance_section session %}``):
shown to those who may read attendance, two queries whatever the number of registrations."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors_attendance import attendance_result, records_in_force

register = template.Library()


@register.inclusion_tag("events/attendance/_section_body.html", takes_context=True)
def attendance_section(context: dict[str, Any], session: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not session.is_online or not user.has_perm("events.view_attendance", session):
        return {"show": False}
    result = attendance_result(session)
    attended = records_in_force().filter(attendance_import__session=session, attended=True).count() if result else 0
    return {"show": True, "session": session, "result": result, "attended": attended}
