"""Login lockout (django-axes): which account an attempt counts against, and the per-address limit.

allauth authenticates with ``email=...``; the login form posts ``login``. Both lead to the same
normalised address, so ``Foo@X.com`` and ``foo@x.com`` share one failure counter.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    value: Any = None
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("email")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``HUIFU_TRUSTED_PROXY_COUNT`` reverse
    proxies the address the outermost trusted proxy appended to ``X-Forwarded-For`` (counted
    from the right, as DRF's ``NUM_PROXIES``: what the client itself wrote there is ignored)."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "HUIFU_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded.strip():
        return remote
    addresses = [part.strip() for part in forwarded.split(",")]
    candidate = addresses[-min(count, len(addresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def address_failures(request: HttpRequest | None) -> int:
    """Failed logins from the request's client address (any account) within the cool-off time."""
    ip_address = getattr(request, "axes_ip_address", None)
    if not ip_address:
        return 0
    since = timezone.now() - (get_cool_off(request) or timedelta(0))
    total = AccessAttempt.objects.filter(ip_address=ip_address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' per-account lockout (``AXES_FAILURE_LIMIT`` failures of one account) plus a
    per-address one: ``HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one client address,
    whatever the accounts tried, refuse every login from that address for the cool-off time.
    The second stops password spraying (one guess against many accounts), which never reaches
    any single account's limit. The address limit is higher, so colleagues behind one NAT
    address are not locked out by one person's typos."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_failures(request) >= settings.HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT:
            request.huifu_address_refused = True  # type: ignore[attr-defined]  # password not checked
            return True
        return False

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_failures(request) >= settings.HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT:
            # AxesMiddleware answers with the lockout page; it says the address is the reason.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            request.axes_credentials = credentials  # type: ignore[attr-defined]
            request.huifu_address_locked = True  # type: ignore[attr-defined]
