"""The signed answer link of a speaker invitation (``django.core.signing``, salted for this
purpose, like the tickets in ``tickets.py``). The token names the invitation and its ``nonce``;
a forged or altered token fails the signature check, and a token whose nonce no longer matches
(the invitation was re-sent) is refused like a forged one. The link answers once: after the
reply the invitation is no longer pending and the page shows the recorded answer."""

from __future__ import annotations

import secrets

from django.core import signing

from .models import SpeakerInvitation

SALT = "huifu.events.speaker_invitation"


class InvitationLinkInvalid(Exception):
    """The token is not one we signed for a current invitation."""


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def invitation_token(invitation: SpeakerInvitation) -> str:
    return signing.Signer(salt=SALT).sign(f"I{invitation.pk}.{invitation.nonce}")


def invitation_from_token(token: str) -> SpeakerInvitation:
    """The invitation the token names, or ``InvitationLinkInvalid``."""
    try:
        value = signing.Signer(salt=SALT).unsign((token or "").strip())
    except signing.BadSignature as exc:
        raise InvitationLinkInvalid from exc
    head, _, nonce = value.partition(".")
    if not head.startswith("I") or not head[1:].isdigit() or not nonce:
        raise InvitationLinkInvalid
    invitation = (
        SpeakerInvitation.objects.select_related("session__series", "speaker__organisation", "speaker__user")
        .filter(pk=int(head[1:]))
        .first()
    )
    if invitation is None or not secrets.compare_digest(invitation.nonce, nonce):
        raise InvitationLinkInvalid
    return invitation
