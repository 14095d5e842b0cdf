"""Staff and regulators (and users of organisations that demand it) must set up TOTP before
they can use anything but the pages that set it up; every browser session ends after a while
without activity."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .authentication import token_for_request
from .models import UserKind
from .selectors import has_active_totp

API_PREFIX = "/api/v1/"


class MfaRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: tuple[str, ...] | None = None

    def exempt_prefixes(self) -> tuple[str, ...]:
        """Pages a user without TOTP can still reach: setting up TOTP (and the password check it
        may ask for), logging out, language switch, health check and static files."""
        if self._exempt is None:
            self._exempt = (
                reverse("mfa_index"),
                reverse("account_reauthenticate"),
                reverse("account_logout"),
                reverse("account_login"),
                reverse("account_inactive"),
                reverse("set_language"),
                reverse("healthz"),
                "/" + settings.STATIC_URL.lstrip("/"),
            )
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(API_PREFIX):
            refused = self._check_api(request)
            return refused if refused is not None else self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.mfa_required:
            return self.get_response(request)
        has_totp = has_active_totp(user)
        if has_totp:
            if path == reverse("mfa_deactivate_totp"):
                messages.error(
                    request, _("Two-factor authentication is required for your account; it cannot be turned off.")
                )
                return HttpResponseRedirect(reverse("mfa_index"))
            return self.get_response(request)
        if path.startswith(self.exempt_prefixes()):
            return self.get_response(request)
        messages.warning(
            request,
            _("Your account requires two-factor authentication. Set up an authenticator app to continue."),
        )
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)

    def _check_api(self, request: HttpRequest) -> HttpResponse | None:
        token = token_for_request(request)
        user = token.user if token is not None else getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.mfa_required or has_active_totp(user):
            return None
        return JsonResponse(
            {
                "error": {
                    "code": "mfa_required",
                    "message": _(
                        "This account requires two-factor authentication. Log in on the website and "
                        "set up an authenticator app first."
                    ),
                }
            },
            status=403,
        )


IDLE_SESSION_KEY = "huifu_last_activity"
ACTIVITY_RESOLUTION = 60  # seconds


def idle_timeout_seconds(user: Any) -> int:
    """How long a session of ``user`` may stay unused: shorter for staff and regulators, who
    see every organisation's (or a whole region's) data."""
    if user.kind in (UserKind.STAFF, UserKind.REGULATOR):
        return settings.HUIFU_IDLE_TIMEOUT_PRIVILEGED_MINUTES * 60
    return settings.HUIFU_IDLE_TIMEOUT_MINUTES * 60


class IdleTimeoutMiddleware:
    """Logs a browser session out after a while without requests. The time of the last request
    is kept in the session; the absolute lifetime of a session is ``SESSION_COOKIE_AGE``.
    API calls with a token have no session and are not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(time.time())
        last = request.session.get(IDLE_SESSION_KEY)
        if isinstance(last, int) and now - last > idle_timeout_seconds(user):
            logout(request)
            if request.path_info.startswith(API_PREFIX):
                return self.get_response(request)  # now anonymous: the API answers 401/403
            messages.info(request, _("You were logged out because the session was unused for too long."))
            target = f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}"
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(target)
            return HttpResponseRedirect(target)
        if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION:
            # Rewriting the session on every request would cost a write each time; a minute's
            # precision is plenty for a limit of 30 minutes or more.
            request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


def mark_session_active(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """On login (``user_logged_in``): the session starts active, written with the login itself."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_SESSION_KEY] = int(time.time())
