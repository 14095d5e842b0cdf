"""The second login step (TOTP code): limited attempts per pending login, clear messages.

allauth asks for the code after the password. Here, each pending login (password accepted, code
not yet) gets ``HUIFU_TOTP_FAILURE_LIMIT`` wrong codes; the next wrong one ends it: the password
must be entered again, and the attempt counts as a failed login of the account (django-axes
and the audit trail, through Django's ``user_login_failed``). Each wrong code is audited too
(``huifu.accounts.signals``).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.views import AuthenticateView as AllauthAuthenticateView
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

SESSION_KEY = "huifu_totp_failures"


class MfaAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": _("The code is incorrect. Enter the code your authenticator app shows now."),
    }


class AuthenticateForm(AllauthAuthenticateForm):
    """allauth's code form; a correct code that was already used says so (allauth accepts each
    code once, so a reused one would otherwise read as simply wrong)."""

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError:
            if _is_current_code(self.user, self.cleaned_data.get("code", "")):
                raise ValidationError(
                    _(
                        "This code has already been used. Each code works once: wait until your "
                        "authenticator app shows the next one and enter that."
                    ),
                    code="code_reused",
                ) from None
            raise


def _is_current_code(user: Any, code: str) -> bool:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None or not code:
        return False
    return validate_totp_code(decrypt(authenticator.data["secret"]), code)


class AuthenticateView(AllauthAuthenticateView):
    form_class = AuthenticateForm

    def form_valid(self, form: Any) -> HttpResponse:
        self.request.session.pop(SESSION_KEY, None)
        return super().form_valid(form)

    def form_invalid(self, form: Any) -> HttpResponse:
        if _count_failure(self.request, self.stage.login) < settings.HUIFU_TOTP_FAILURE_LIMIT:
            return super().form_invalid(form)
        user = self.stage.login.user
        self.request.session.pop(SESSION_KEY, None)
        response = self.stage.abort()
        # Counts against the account like a wrong password (lockout and audit).
        user_login_failed.send(
            sender=__name__,
            credentials={"email": user.email, "second_factor": True},
            request=self.request,
        )
        messages.error(
            self.request,
            _("Too many wrong codes. For your security, log in again with your e-mail and password."),
        )
        return response


def _count_failure(request: HttpRequest, login: Any) -> int:
    """One more wrong code for this pending login; how many so far."""
    identity = f"{getattr(login.user, 'pk', '')}:{login.initiated_at}"
    state = request.session.get(SESSION_KEY)
    count = state["count"] if isinstance(state, dict) and state.get("login") == identity else 0
    count += 1
    request.session[SESSION_KEY] = {"login": identity, "count": count}
    return count


authenticate = AuthenticateView.as_view()
