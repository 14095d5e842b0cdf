"""Notices (通知公告): numbered documents the exchange publishes to an audience, their
attachments, and who has read them.

Workflow (see ``NoticeStatus.TRANSITIONS``)::

    draft ──publish──▶ published ──withdraw──▶ withdrawn

A draft is the only editable state; a published notice is never edited: it is withdrawn
(with a reason) and a corrected notice is issued. Only ``huifu.notices.services`` changes a
notice's status.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huifu.directory.models import OrganisationKind


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT})

    @classmethod
    def issued(cls) -> frozenset[str]:
        """States in which the notice has been published at some point (published_at is set)."""
        return frozenset({cls.PUBLISHED, cls.WITHDRAWN})

    @classmethod
    def terminal(cls) -> frozenset[str]:
        return frozenset({cls.WITHDRAWN})


# The only legal moves: source -> allowed targets.
NOTICE_TRANSITIONS: dict[str, frozenset[str]] = {
    NoticeStatus.DRAFT: frozenset({NoticeStatus.PUBLISHED}),
    NoticeStatus.PUBLISHED: frozenset({NoticeStatus.WITHDRAWN}),
    NoticeStatus.WITHDRAWN: frozenset(),
}


class NoticeCategory(models.TextChoices):
    NOTICE = "notice", _("Notice")
    GUIDELINE = "guideline", _("Guideline")
    REPORT = "report", _("Report")
    LIAISON_UPDATE = "liaison_update", _("Liaison update")
    INVESTOR_EDUCATION = "investor_education", _("Investor education")


class AudienceKind(models.TextChoices):
    ALL_MEMBERS = "all_members", _("All members")
    ORG_KINDS = "org_kinds", _("Kinds of organisation")
    ORGANISATIONS = "organisations", _("Named organisations")
    PUBLIC = "public", _("Public (anyone, also without an account)")


ORG_KIND_VALUES = frozenset(OrganisationKind.values)


class Notice(models.Model):
    doc_number = models.CharField(
        _("document number"),
        max_length=60,
        blank=True,
        help_text=_("The official number, e.g. <prefix>〔2023〕61号. Optional, unique when given."),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Plain text; separate paragraphs with an empty line."))
    category = models.CharField(
        _("category"), max_length=32, choices=NoticeCategory.choices, default=NoticeCategory.NOTICE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT, db_index=True
    )
    audience_kind = models.CharField(
        _("audience"), max_length=16, choices=AudienceKind.choices, default=AudienceKind.ALL_MEMBERS
    )
    # A list of OrganisationKind values; used when audience_kind is org_kinds.
    audience_org_kinds = models.JSONField(_("kinds of organisation"), default=list, blank=True)
    audience_organisations = models.ManyToManyField(
        "directory.Organisation", blank=True, related_name="addressed_notices", verbose_name=_("organisations")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("issuing department"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=~Q(doc_number=""),
                name="notice_unique_doc_number",
                violation_error_message=_("Another notice already has this document number."),
            ),
            models.CheckConstraint(
                name="notice_published_at_iff_issued",
                condition=(Q(status__in=["published", "withdrawn"]) & Q(published_at__isnull=False))
                | (Q(status="draft") & Q(published_at__isnull=True)),
                violation_error_message=_("A notice has a publication time exactly when it has been published."),
            ),
            models.CheckConstraint(
                name="notice_withdrawn_at_iff_withdrawn",
                condition=(Q(status="withdrawn") & Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason=""))
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                violation_error_message=_("A withdrawn notice has a withdrawal time and a reason."),
            ),
            models.CheckConstraint(
                name="notice_status_valid",
                condition=Q(status__in=["draft", "published", "withdrawn"]),
            ),
            models.CheckConstraint(
                name="notice_audience_kind_valid",
                condition=Q(audience_kind__in=["all_members", "org_kinds", "organisations", "public"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}" if self.doc_number else self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == NoticeStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == NoticeStatus.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == NoticeStatus.WITHDRAWN

    def audience_org_kind_labels(self) -> list[str]:
        labels = dict(OrganisationKind.choices)
        return [str(labels.get(k, k)) for k in self.audience_org_kinds or []]


class NoticeAttachment(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("notice"))
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["notice_id", "order", "id"]
        verbose_name = _("notice attachment")
        verbose_name_plural = _("notice attachments")
        constraints = [models.UniqueConstraint(fields=["notice", "file"], name="notice_attachment_unique_file")]

    def __str__(self) -> str:
        return str(self.file)


class NoticeRead(models.Model):
    """A read receipt. ``organisation`` is the reader's organisation when they read it, so the
    per-organisation read status does not change if the person later moves."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads", verbose_name=_("notice"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_reads", verbose_name=_("reader")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notice_reads",
        verbose_name=_("organisation"),
    )
    read_at = models.DateTimeField(_("read"))

    class Meta:
        ordering = ["read_at", "id"]
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once_per_user")]
        indexes = [models.Index(fields=["notice", "organisation", "read_at"], name="notice_read_org_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.notice}"


class NoticeMailing(models.Model):
    """The e-mail fan-out of one publication. Publication records it (with the audience size) and
    returns; jobs then write the outbox mails in chunks, in audience order (user id), each chunk
    in one transaction with ``last_user_id``, so a retried or duplicated job continues where the
    last committed chunk ended and never mails anyone twice. A withdrawn notice stops mailing."""

    notice = models.OneToOneField(
        Notice, on_delete=models.CASCADE, primary_key=True, related_name="mailing", verbose_name=_("notice")
    )
    total = models.PositiveIntegerField(_("recipients at publication"))
    queued = models.PositiveIntegerField(_("mails queued"), default=0)
    last_user_id = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice mailing")
        verbose_name_plural = _("notice mailings")

    def __str__(self) -> str:
        return f"{self.notice_id}: {self.queued}/{self.total}"
