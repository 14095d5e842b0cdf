"""Case library (产业服务案例): good industry-service cases the exchange selects from finished
co-hosted activities and deep-cultivation plans, writes up and publishes.

Workflow (``CASE_TRANSITIONS``)::

    draft ──publish──▶ published ──withdraw──▶ withdrawn

Only a draft is edited. Audience: ``public`` is anyone, also a visitor without an account (the
public site, ``huifu.publicsite``); ``members`` is users of member companies (futures companies and platform traders).
Exchange staff see every case in every state.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.DRAFT: frozenset({CaseStatus.PUBLISHED}),
    CaseStatus.PUBLISHED: frozenset({CaseStatus.WITHDRAWN}),
    CaseStatus.WITHDRAWN: frozenset(),
}


class CaseAudience(models.TextChoices):
    PUBLIC = "public", _("Public (anyone, also without an account)")
    MEMBERS = "members", _("Members only")


class Case(models.Model):
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500)
    body = models.TextField(_("body"), help_text=_("Plain text; separate paragraphs with an empty line."))
    industry = models.CharField(_("industry"), max_length=100, blank=True, db_index=True)
    products = models.JSONField(_("products"), default=list, blank=True)
    # The products as plain text for search (JSON text escapes Chinese on SQLite); kept by services.
    products_text = models.CharField(max_length=400, blank=True, editable=False)
    enterprise = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("enterprise"),
    )
    enterprise_label = models.CharField(
        _("enterprise as shown"),
        max_length=200,
        blank=True,
        help_text=_("How the enterprise is named in the case, e.g. 江西某铜业集团 (may be anonymised)."),
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("source"), max_length=300, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=CaseAudience.choices, default=CaseAudience.MEMBERS
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
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
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.CheckConstraint(
                name="case_status_valid", condition=Q(status__in=["draft", "published", "withdrawn"])
            ),
            models.CheckConstraint(name="case_audience_valid", condition=Q(audience__in=["public", "members"])),
            models.CheckConstraint(
                name="case_published_at_iff_issued",
                condition=(Q(status__in=["published", "withdrawn"]) & Q(published_at__isnull=False))
                | (Q(status="draft") & Q(published_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="case_withdrawn_has_reason",
                condition=(Q(status="withdrawn") & Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason=""))
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="case_source_complete",
                condition=(Q(source_type__isnull=True) & Q(source_id=""))
                | (Q(source_type__isnull=False) & ~Q(source_id="")),
            ),
        ]
        indexes = [models.Index(fields=["source_type", "source_id"], name="case_source_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == CaseStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == CaseStatus.PUBLISHED

    @property
    def enterprise_display(self) -> str:
        return self.enterprise_label or (self.enterprise.name_zh if self.enterprise_id else "")


class CaseFile(models.Model):
    """An image or document of a case. Images are shown in the case; documents are listed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files", verbose_name=_("case"))
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["case_id", "order", "pk"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        constraints = [models.UniqueConstraint(fields=["case", "file"], name="case_file_once")]

    def __str__(self) -> str:
        return str(self.file)

    @property
    def is_image(self) -> bool:
        return self.file.content_type.startswith("image/")
