"""Logging personas in from tests.

Staff and regulators must have TOTP set up (MfaRequiredMiddleware). ``login`` gives such a user
an activated TOTP authenticator and logs in the session, as if they had passed the second step.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from huifu.accounts.totp import current_code

# Long enough for a loaded machine to type the code into a browser and submit it.
SAFE_TOTP_SECONDS = 10


def wait_for_totp_window(min_remaining: float = SAFE_TOTP_SECONDS) -> None:
    """Return when at least ``min_remaining`` seconds of the current 30-second TOTP period are
    left. A code read at second 29.9 and checked at second 30.1 is refused (no clock tolerance),
    which made logins in tests fail at random on a loaded machine."""
    period = mfa_settings.TOTP_PERIOD
    remaining = period - (time.time() % period)
    if remaining < min_remaining:
        time.sleep(remaining + 0.05)


def fresh_code(secret: str, *, min_remaining: float = SAFE_TOTP_SECONDS) -> str:
    """The current TOTP code, read where it stays valid for ``min_remaining`` seconds."""
    wait_for_totp_window(min_remaining)
    return current_code(secret)


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
