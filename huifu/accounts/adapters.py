"""allauth hooks: who may sign up, and how allauth's e-mails leave (through the outbox)."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _

from .models import User, UserKind


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up creates public participants only; member, partner, regulator and staff
    accounts are created by the exchange or by an organisation's admin."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.kind = UserKind.PUBLIC
        user.organisation = None
        user.department = None
        user.org_role = ""
        user.is_department_head = False
        return super().save_user(request, user, form, commit=commit)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """allauth asks for the password again before TOTP is activated. Right after logging in
        with the password (the usual moment: MFA is required and set up at first login) that second
        prompt proves nothing new, so it is skipped there; every other sensitive step keeps it."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa" and _just_logged_in_to_activate_totp(self.request):
            return False
        return required

    def format_email_subject(self, subject: str) -> str:
        return f"[{_('Huifu')}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's mail as usual, then queue it in the outbox instead of sending it."""
        from huifu.outbox.services import mail_enqueue

        request = context.get("request") or self.request
        ctx: dict[str, Any] = {"request": request, "email": email, "current_site": _current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        body_text, body_html = message.body, ""
        for alternative, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                body_html = alternative
        if message.content_subtype == "html":
            body_html, body_text = message.body, ""
        recipient = User.objects.filter(email__iexact=email).select_related("organisation").first()
        with transaction.atomic():
            mail_enqueue(
                to=email,
                subject=message.subject,
                body_text=body_text or _("Please view this message in an HTML-capable mail program."),
                body_html=body_html,
                recipient=recipient,
                organisation=recipient.organisation if recipient is not None else None,
                topic=template_prefix.rsplit("/", 1)[-1][:60],
            )


def _just_logged_in_to_activate_totp(request: HttpRequest | None) -> bool:
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return False
    if request.path_info != reverse("mfa_activate_totp"):
        return False
    try:
        from allauth.account.internal.flows.login import get_authentication_records
    except ImportError:  # allauth moved its internals: fall back to asking again
        return False
    records = get_authentication_records(request, request.user)
    if not records or records[-1].get("method") != "password":
        return False
    return time.time() - float(records[-1].get("at", 0)) < allauth_settings.REAUTHENTICATION_TIMEOUT


def _current_site(request: HttpRequest | None) -> Any:
    from django.contrib.sites.shortcuts import get_current_site

    return get_current_site(request)
