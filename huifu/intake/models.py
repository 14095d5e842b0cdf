"""Mail intake: every message fetched from the Market Service Center mailbox is kept as an
``IntakeMessage`` (its raw .eml stored as a file), whether or not it could be matched to a
company. Nothing is dropped; the same message is never imported twice (``message_key``:
the Message-ID, else a hash of the raw bytes).

Status::

    new ──resolve (staff pick the company)──▶ triaged
     │                                         (a draft feedback form is created)
     └──ignore (not feedback, with a reason)──▶ ignored
    matched: matched on import (sender's address, subject or attached form) → draft created
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IntakeStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    MATCHED = "matched", _("Matched on import")
    TRIAGED = "triaged", _("Resolved by staff")
    IGNORED = "ignored", _("Ignored")

    @classmethod
    def pending(cls) -> frozenset[str]:
        return frozenset({cls.NEW})


class MatchMethod(models.TextChoices):
    NONE = "", _("Not matched")
    CONTACT_EMAIL = "contact_email", _("Sender is a directory contact")
    USER_EMAIL = "user_email", _("Sender is a user of the company")
    SUBJECT = "subject", _("Company named in the subject")
    DOCX = "docx", _("Company named in the attached form")
    STAFF = "staff", _("Chosen by staff")


class IntakeMessage(models.Model):
    message_key = models.CharField(_("message key"), max_length=255, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    source = models.CharField(_("source"), max_length=16)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    from_address = models.CharField(_("sender address"), max_length=254, blank=True, db_index=True)
    from_name = models.CharField(_("sender name"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    body_text = models.TextField(pgettext_lazy("mail", "text"), blank=True)
    raw = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("raw message")
    )
    follows_convention = models.BooleanField(_("conventional subject"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.NEW, db_index=True
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intake_messages",
        verbose_name=_("company"),
    )
    match_method = models.CharField(_("matched by"), max_length=16, choices=MatchMethod.choices, blank=True)
    feedback_form = models.ForeignKey(
        "servicedesk.FeedbackForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("draft feedback form"),
    )
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # What was read for the draft form (from the attached .docx or the body): contact, phone, e-mail,
    # form_date (ISO), suggestions, help_requests, company (as written). Used again when staff resolve.
    extracted = models.JSONField(_("extracted fields"), default=dict, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("intake message")
        verbose_name_plural = _("intake messages")
        constraints = [
            models.CheckConstraint(
                name="intake_status_valid", condition=Q(status__in=["new", "matched", "triaged", "ignored"])
            ),
            models.CheckConstraint(
                name="intake_matched_has_company_and_form",
                condition=Q(status__in=["new", "ignored"])
                | (Q(organisation__isnull=False) & Q(feedback_form__isnull=False)),
                violation_error_message=_("A matched or resolved message has a company and a draft form."),
            ),
            models.CheckConstraint(
                name="intake_ignored_has_note",
                condition=~Q(status="ignored") | ~Q(note=""),
                violation_error_message=_("An ignored message says why."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject or self.message_key

    def get_absolute_url(self) -> str:
        return reverse("intake:detail", args=[self.pk])


class IntakeAttachment(models.Model):
    message = models.ForeignKey(
        IntakeMessage,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=pgettext_lazy("mail", "message"),
    )
    file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("file")
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("declared type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    is_form = models.BooleanField(_("read as the feedback form"), default=False)
    problem = models.CharField(_("problem"), max_length=500, blank=True)

    class Meta:
        ordering = ["message_id", "id"]
        verbose_name = _("intake attachment")
        verbose_name_plural = _("intake attachments")

    def __str__(self) -> str:
        return self.filename
