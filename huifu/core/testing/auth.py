"""Logging personas in from tests.

Staff and regulators must have TOTP set up (MfaRequiredMiddleware). ``login`` gives such a user
an activated TOTP authenticator and logs in the session, as if they had passed the second step.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def ensure_totp(user: Any) -> str:
    """Give ``user`` an activated TOTP authenticator; return its secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing.data.get("secret", "")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def login(client: Any, user: Any) -> Any:
    """Log ``user`` into the test ``client`` (TOTP set up where it is required)."""
    if user.mfa_required:
        ensure_totp(user)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client
