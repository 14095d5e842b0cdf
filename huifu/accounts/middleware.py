"""Staff and regulators (and users of organisations that demand it) must set up TOTP before
they can use anything but the pages that set it up."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .authentication import token_for_request
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
