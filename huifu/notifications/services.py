"""Telling users about events: the in-app notification and, by the user's preferences, the e-mail
(through the outbox) and the department's group-chat webhook.

Call :func:`notify` inside the transaction of the change, as the outbox asks: the notification
and the mail commit or roll back with it. Apps build their mails exactly as before and hand them
over as ``mail``; ``notify`` decides whether it goes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.outbox.services import mail_enqueue

from .kinds import KINDS
from .models import Notification, NotificationPreference

URL_MAX = Notification._meta.get_field("url").max_length or 500


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r} (huifu/notifications/kinds.py)")


def email_wanted(user: Any, kind: str) -> bool:
    """Whether ``user`` takes e-mail for ``kind`` (default yes). One query."""
    return not NotificationPreference.objects.filter(user=user, kind=kind, email=False).exists()


def webhook_wanted(users: Iterable[Any], kind: str) -> bool:
    """Whether the department's group chat should hear of an event of ``kind`` told to ``users``:
    yes unless every one of them turned it off (a robot post is shared, so one person's wish
    does not silence it for the others). Nobody to tell: yes, as before. One query."""
    ids = {u.pk for u in users if u is not None}
    if not ids:
        return True
    off = NotificationPreference.objects.filter(user_id__in=ids, kind=kind, webhook=False).count()
    return off < len(ids)


def notify(
    *,
    recipient: Any | None,
    kind: str,
    message: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    organisation: Any | None = None,
    mail: Mapping[str, Any] | None = None,
) -> Notification | None:
    """Tell ``recipient`` about an event of ``kind``.

    Writes the in-app notification (``message``: an English msgid marked with ``gettext_noop``,
    ``params``: JSON values, ``{"_t": msgid}`` for a value to translate when read; ``url``: the
    record's path) for an active user, and enqueues ``mail`` (the keyword arguments of
    ``mail_enqueue`` except ``recipient``) unless the user turned e-mail off for ``kind``. An
    address with no user account (a form's contact e-mail) gets the mail as before.
    Returns the notification, or None when there is no user to show it to.
    """
    _check_kind(kind)
    notification = None
    if recipient is not None and recipient.is_active:
        notification = Notification.objects.create(
            recipient=recipient,
            organisation=organisation,
            kind=kind,
            message=message,
            params=dict(params or {}),
            url=(url or "")[:URL_MAX],
        )
    if mail is not None and (recipient is None or email_wanted(recipient, kind)):
        mail_enqueue(recipient=recipient, **mail)
    return notification


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of ``user``'s notifications read (again: no change). Someone else's: refused."""
    if notification.recipient_id != user.pk:
        raise ValidationError(_("This notification is not yours."), code="not_yours")
    if notification.read_at is None:
        now = timezone.now()
        # Conditional update: two tabs marking at once keep the first moment.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preferences_save(*, user: Any, choices: Mapping[str, Mapping[str, bool]]) -> None:
    """Store ``user``'s channels per kind: ``{kind: {"email": bool, "webhook": bool}}``. Kinds not
    given keep their setting; unknown kinds are refused before anything is written."""
    unknown = [k for k in choices if k not in KINDS]
    if unknown:
        raise ValidationError({"kind": _("Unknown kind: %(kinds)s.") % {"kinds": ", ".join(unknown)}})
    for kind, channels in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user,
            kind=kind,
            defaults={
                "email": bool(channels.get("email", True)),
                "webhook": bool(channels.get("webhook", True)) if KINDS[kind].webhook else True,
            },
        )
