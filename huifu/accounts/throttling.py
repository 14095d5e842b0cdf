"""API rate limits (DRF throttling): per user for token and session clients, per address for
anonymous ones. Rates are settings (``HUIFU_API_RATES``), read on every request so a deployment
or a test can change them; a refused request gets 429 with ``Retry-After`` and the error code
``throttled`` (huifu/api/errors.py)."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class ApiUserThrottle(UserRateThrottle):
    """One budget per account, shared by all its tokens and its browser session."""

    scope = "user"

    def get_rate(self) -> str | None:
        return settings.HUIFU_API_RATES.get(self.scope)


class ApiAnonThrottle(AnonRateThrottle):
    scope = "anon"

    def get_rate(self) -> str | None:
        return settings.HUIFU_API_RATES.get(self.scope)
