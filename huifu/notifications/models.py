"""In-app notifications and each user's choice of channels per kind."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, kind_label


def translatable(label: Any) -> Any:
    """A parameter that is translated when read: from a lazy label (``gettext_lazy`` or
    ``pgettext_lazy``, as TextChoices labels are) ``{"_t": msgid}`` or ``{"_t": msgid, "_c":
    context}``; anything else unchanged."""
    args = getattr(label, "_args", None)
    if isinstance(args, tuple) and args and all(isinstance(a, str) for a in args):
        if len(args) == 2:
            return {"_t": args[1], "_c": args[0]}
        return {"_t": args[0]}
    return label


def _param(value: Any) -> Any:
    if isinstance(value, dict) and "_t" in value:
        return pgettext(value["_c"], value["_t"]) if value.get("_c") else gettext(value["_t"])
    return value


def render_message(message: str, params: dict[str, Any]) -> str:
    """``message`` (an English msgid) in the active language with ``params`` filled in.

    A parameter written as ``{"_t": "<msgid>"}`` is itself translated (an outcome such as
    "approved"), so the whole line follows the reader's language, not the sender's. A message
    whose parameters do not fit (a msgid changed after the row was written) shows untranslated
    rather than failing the page.
    """
    values = {key: _param(value) for key, value in (params or {}).items()}
    try:
        return gettext(message) % values
    except (KeyError, TypeError, ValueError):
        return message


class Notification(models.Model):
    """One event told to one user. Written in the transaction of the change (``notify``).

    ``message`` is a msgid and ``params`` its values: the text is rendered when read, in the
    reader's language. ``url`` is the record's path on this site. ``organisation``: the company
    the record belongs to (for reports; access is by ``recipient`` only)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(pgettext_lazy("notification", "message"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(pgettext_lazy("notification", "link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_recent"),
            # The bell counts a user's unread rows on every page: a small partial index.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return render_message(self.message, self.params)

    @property
    def kind_label(self) -> Any:
        return kind_label(self.kind)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's channels for one kind. No row: the defaults (e-mail on, department webhook on).
    In-app notifications are always written: they are the record of what the user was told."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=[(k, v.label) for k, v in KINDS.items()])
    email = models.BooleanField(pgettext_lazy("notification channel", "e-mail"), default=True)
    webhook = models.BooleanField(_("department group chat"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
