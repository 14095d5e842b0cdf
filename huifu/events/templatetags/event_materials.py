"""``{% load event_materials %}``: the materials sections of the session pages, each read with a
constant number of queries whatever the number of materials."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors_materials as materials
from ..material_checks import summary

register = template.Library()


def _user(context: template.Context) -> Any:
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("events/materials/_staff_list.html", takes_context=True)
def session_materials_staff(context: template.Context, session: Any) -> dict[str, Any]:
    """Every material of the session with its state, for staff and the session's co-organisers."""
    user = _user(context)
    return {
        "session": session,
        "materials": materials.session_materials(user=user, session=session),
        "can_upload": bool(user and user.has_perm("events.upload_material", session)),
    }


@register.inclusion_tag("events/materials/_public_list.html", takes_context=True)
def session_materials_public(context: template.Context, session: Any) -> dict[str, Any]:
    """The published materials of the session the visitor may see."""
    return {"materials": materials.published_materials(user=_user(context), session=session)}


@register.simple_tag
def precheck_summary(material: Any) -> dict[str, Any]:
    return summary(material.precheck or {})
