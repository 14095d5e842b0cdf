"""Audit hooks on logins: a successful login, each failed attempt and the start of a lockout.

These only write history; removing them changes nothing else about logging in.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from axes.helpers import get_failure_limit

# Importing axes.signals connects axes' own receivers first, so ours see what axes computed.
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record

from .lockout import address_failures, axes_username
from .models import User

# The audit message of one wrong code at login; huifu.accounts.second_factor counts these.
WRONG_CODE_MESSAGE = "wrong two-factor code"


def _ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def _user_by_login(login: str | None) -> User | None:
    if not login:
        return None
    return User.objects.filter(email__iexact=login).first()


def audit_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN, target=user, ip_address=_ip(request))


def _failures(request: HttpRequest | None, credentials: dict[str, Any] | None) -> tuple[int | None, int]:
    """(failures counted so far for this account, the limit), as axes computed them for this request."""
    if request is None:
        return None, 0
    return getattr(request, "axes_failures_since_start", None), get_failure_limit(request, credentials)


def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    login = axes_username(request, credentials)
    failures, limit = _failures(request, credentials)
    if credentials.get("second_factor"):
        message = "too many wrong two-factor codes: pending login ended"
    elif getattr(request, "huifu_address_refused", False):
        message = "refused: too many failed logins from this address (password not checked)"
    elif failures is not None and failures > limit:
        message = "refused: account locked (password not checked)"
    elif failures is not None and failures == limit:
        message = "wrong e-mail or password; account now locked"
    else:
        message = "wrong e-mail or password"
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        target=_user_by_login(login),
        target_label=login or "",
        message=message,
        ip_address=_ip(request),
    )
    if failures is not None and address_failures(request) == settings.HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT:
        # This failure reached the per-address limit: the start of an address lockout.
        audit_record(
            actor=None,
            action=AuditAction.LOCKED_OUT,
            target_label=_ip(request) or "",
            message=f"address locked after {settings.HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT} failed logins",
            ip_address=_ip(request),
        )


def audit_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None = None, **kwargs: Any
) -> None:
    # Axes signals a lockout when it starts and again for every attempt during it (each one also
    # extends it); only the start, the failure that reached the limit, is a new event.
    failures, limit = _failures(request, None)
    if failures is None or failures != limit:
        return
    audit_record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        target=_user_by_login(username),
        target_label=username or "",
        message=f"locked after {failures} failed logins",
        ip_address=ip_address or _ip(request),
    )


def audit_second_factor_failed(
    sender: Any, request: HttpRequest | None, user: User, reauthentication: bool = False, **kwargs: Any
) -> None:
    audit_record(
        actor=user if reauthentication else None,
        action=AuditAction.LOGIN_FAILED,
        target=user,
        target_label=user.email,
        message=WRONG_CODE_MESSAGE + (" (re-authentication)" if reauthentication else ""),
        ip_address=_ip(request),
    )


def connect() -> None:
    from .middleware import mark_session_active

    # Not audit, but the same moment: the idle-timeout clock of a new session starts at login.
    user_logged_in.connect(mark_session_active, dispatch_uid="huifu.accounts.mark_session_active")
    mfa_authentication_failed.connect(audit_second_factor_failed, dispatch_uid="huifu.accounts.audit_mfa_failed")
    user_logged_in.connect(audit_login, dispatch_uid="huifu.accounts.audit_login")
    user_login_failed.connect(audit_login_failed, dispatch_uid="huifu.accounts.audit_login_failed")
    user_locked_out.connect(audit_locked_out, dispatch_uid="huifu.accounts.audit_locked_out")
