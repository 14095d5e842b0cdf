"""The e-mail outbox. A message is a row written in the same transaction as the change that
causes it; the job queue delivers it afterwards. A rolled-back change leaves no row, a mail
server outage leaves the row pending for a retry, and a delivered row is never sent again."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Claimed by a worker that is talking to the mail server. If that worker dies, the row is
    # retried after HUIFU_MAIL_SENDING_LEASE_SECONDS with the same Message-ID (it may have gone out).
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (gave up)")


class OutboxMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.EmailField(pgettext_lazy("mail", "to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(pgettext_lazy("mail", "text"))
    body_html = models.TextField(_("HTML"), blank=True)
    # Attachments as StoredFile ids; calendar invitations and generated PDFs are stored first.
    attachment_ids = models.JSONField(default=list, blank=True)
    # What caused the message, for the history and for isolation tests ("who got what").
    recipient = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(pgettext_lazy("mail", "topic"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                name="outbox_sent_at_iff_sent",
                condition=(Q(status="sent") & Q(sent_at__isnull=False)) | (~Q(status="sent") & Q(sent_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="outbox_claimed_at_iff_sending",
                condition=(Q(status="sending") & Q(claimed_at__isnull=False))
                | (~Q(status="sending") & Q(claimed_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    @property
    def message_id(self) -> str:
        """A stable Message-ID: a re-delivery of the same row is recognisable as the same mail."""
        return f"<{self.id.hex}@huifu>"
