"""API authentication by personal access token: ``Authorization: Bearer <token>``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import PersonalAccessToken

_CACHE_ATTR = "_huifu_bearer"


def bearer_value(request: HttpRequest) -> str | None:
    """The raw token of an ``Authorization: Bearer <token>`` header, or None without one.
    A malformed Bearer header gives an empty string."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    parts = header.split()
    if not parts or parts[0].lower() != "bearer":
        return None
    return parts[1] if len(parts) == 2 else ""


def token_for_request(request: HttpRequest) -> PersonalAccessToken | None:
    """The usable token the request carries, looked up once per request (the MFA middleware and
    the DRF authenticator both need it)."""
    raw = bearer_value(request)
    if not raw:
        return None
    cached: Any = getattr(request, _CACHE_ATTR, None)
    if cached is not None and cached[0] == raw:
        return cached[1]
    # A revoked or expired token, or one of a deactivated user, is refused like an unknown one.
    token = (
        PersonalAccessToken.objects.usable()
        .select_related("user", "user__organisation", "user__department")
        .filter(key_hash=PersonalAccessToken.hash(raw))
        .first()
    )
    setattr(request, _CACHE_ATTR, (raw, token))
    return token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        django_request = getattr(request, "_request", request)
        raw = bearer_value(django_request)
        if raw is None:
            return None
        if not raw:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Bearer <token>'."))
        token = token_for_request(django_request)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):  # type: ignore[no-untyped-def]
        return 'Bearer realm="api"'
