"""TOTP helpers for the demo installation and tests (allauth does the real verification)."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

# Published with the demo logins (docs and `seed_demo` output). Never used outside the demo.
DEMO_TOTP_SECRET = "HUIFUDEMOHUIFUDEMOHUIFUDEMOHUIFU"


def current_code(secret: str, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows now for ``secret``."""
    counter = int(at if at is not None else time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_secret_of(user: object) -> str | None:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return None
    return decrypt(authenticator.data["secret"])


def activate_totp(user: object, secret: str) -> bool:
    """Give ``user`` an active TOTP authenticator with ``secret`` unless they have one. True if added."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, secret)
    return True
