"""The second login step (TOTP code): a limit of wrong codes, clear messages.

allauth asks for the code after the password. An account gets ``HUIFU_TOTP_FAILURE_LIMIT`` wrong
codes (counted since its last successful login, within axes' cool-off time); the wrong code that
reaches the limit ends the pending login: the password must be entered again, and the attempt
counts as a failed login of the account (django-axes and the audit trail, through Django's
``user_login_failed``). The count is kept per account, not per browser session, so starting a
fresh session after a few wrong codes does not start a fresh count; past the limit no code is
checked at all (not even a right one, so parallel guesses gain nothing) and each try ends the login, and five such failed logins lock the account. Each wrong code is an audit
entry (``huifu.accounts.signals``), and those entries are what is counted.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.views import AuthenticateView as AllauthAuthenticateView
from allauth.mfa.base.views import ReauthenticateView as AllauthReauthenticateView
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huifu.audit.models import AuditAction, AuditEvent

from .models import User
from .signals import WRONG_CODE_MESSAGE


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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """One code check at a time per account (the user row is locked until the wrong code's
        audit entry is committed), and none at all once the limit is reached: guesses sent in
        parallel, from one pending login or several, cannot outrun the count."""
        user = self.stage.login.user
        with transaction.atomic():
            list(type(user).objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
            if recent_wrong_codes(user) >= settings.HUIFU_TOTP_FAILURE_LIMIT:
                return self._end_pending_login()
            return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        user = self.stage.login.user
        if recent_wrong_codes(user) < settings.HUIFU_TOTP_FAILURE_LIMIT:
            return super().form_invalid(form)
        return self._end_pending_login()

    def _end_pending_login(self) -> HttpResponse:
        user = self.stage.login.user
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


class ReauthenticateView(AllauthReauthenticateView):
    """The code asked again before a sensitive step (changing the second factor, recovery
    codes). Whoever holds the session gets the same number of wrong codes as at login; at the
    limit the session ends and the attempt counts as a failed login of the account."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        with transaction.atomic():
            list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
            if recent_wrong_codes(user, REAUTH_WRONG_CODE) >= settings.HUIFU_TOTP_FAILURE_LIMIT:
                return self._end_session()
            return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if recent_wrong_codes(self.request.user, REAUTH_WRONG_CODE) < settings.HUIFU_TOTP_FAILURE_LIMIT:
            return super().form_invalid(form)
        return self._end_session()

    def _end_session(self) -> HttpResponse:
        email = self.request.user.email
        logout(self.request)
        user_login_failed.send(
            sender=__name__, credentials={"email": email, "second_factor": True}, request=self.request
        )
        messages.error(
            self.request,
            _("Too many wrong codes. For your security, log in again with your e-mail and password."),
        )
        return redirect("account_login")


REAUTH_WRONG_CODE = WRONG_CODE_MESSAGE + " (re-authentication)"  # as huifu.accounts.signals writes it


def recent_wrong_codes(user: Any, message: str = WRONG_CODE_MESSAGE) -> int:
    """Wrong login codes of ``user`` since the later of its last successful login and the start of
    the cool-off window (the audit entries are the record); ``message`` picks re-authentication."""
    since = timezone.now() - (get_cool_off() or timedelta(0))
    last_login = (
        AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=user).order_by("-at").values_list("at", flat=True)
    ).first()
    if last_login is not None and last_login > since:
        since = last_login
    return AuditEvent.objects.filter(
        action=AuditAction.LOGIN_FAILED,
        target_type=ContentType.objects.get_for_model(user),
        target_id=str(user.pk),
        message=message,
        at__gte=since,
    ).count()


authenticate = AuthenticateView.as_view()
reauthenticate = ReauthenticateView.as_view()
