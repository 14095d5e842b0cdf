"""``{% load event_speakers %}``: the speaker invitations section of the session page, read with
a constant number of queries whatever the number of invitations."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors_speakers as speakers

register = template.Library()


@register.inclusion_tag("events/speakers/_session_section.html", takes_context=True)
def session_speaker_invitations(context: template.Context, session: Any) -> dict[str, Any]:
    """Every invitation of the session (pending, answered, expired, withdrawn) for staff and the
    session's co-organiser; an empty section for the others is not rendered."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    visible = bool(user and user.has_perm("events.view_speaker_invitations", session))
    return {
        "visible": visible,
        "session": session,
        "invitations": speakers.session_invitations(user=user, session=session) if visible else [],
        "can_invite": bool(visible and user.has_perm("events.invite_speaker", session)),
        "can_withdraw": bool(visible and user.has_perm("events.invite_speaker", session)),
    }
