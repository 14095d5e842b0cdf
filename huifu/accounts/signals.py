"""Audit hooks on logins: a successful login, each failed attempt and the start of a lockout.

These only write history; removing them changes nothing else about logging in.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record

from .lockout import axes_username
from .models import User


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


def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    login = axes_username(request, credentials)
    locked = bool(request is not None and getattr(request, "axes_locked_out", False))
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        target=_user_by_login(login),
        target_label=login or "",
        message="refused: account locked" if locked else "wrong e-mail or password",
        ip_address=_ip(request),
    )


def audit_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None = None, **kwargs: Any
) -> None:
    # Axes signals a lockout both when it starts and for every attempt during it; only the start
    # (the request that counted the last allowed failure) is a new event.
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    audit_record(
        actor=None,
        action=AuditAction.LOCKED_OUT,
        target=_user_by_login(username),
        target_label=username or "",
        message=f"locked after {request.axes_failures_since_start} failed logins",
        ip_address=ip_address or _ip(request),
    )


def connect() -> None:
    user_logged_in.connect(audit_login, dispatch_uid="huifu.accounts.audit_login")
    user_login_failed.connect(audit_login_failed, dispatch_uid="huifu.accounts.audit_login_failed")
    user_locked_out.connect(audit_locked_out, dispatch_uid="huifu.accounts.audit_locked_out")
