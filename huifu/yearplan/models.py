"""The yearly arrangements document (会员服务和投资者教育工作安排) as data.

One :class:`ArrangementYear` per year holds the preface, the closing words and the footnote
texts; one :class:`Programme` per programme holds its four sections (背景信息 / 项目介绍 /
操作流程 / 支持方式) and names the workflow it follows (``workflows.FLOWS``). Texts may cite
facts from the records (``{hotline}``, ``facts.py``), flows (``{flow:visit_reception}``) and
footnotes (``{footnote:hotline}``).

Freezing a year (``services.year_freeze``) stores the whole generated document and the facts it
cited in ``snapshot``; a frozen year never changes again (services refuse, the database checks
the snapshot is there) and its document is regenerated from the snapshot."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .workflows import flow_choices

DEFAULT_HOTLINE_NOTE = (
    "目前市场服务中心热线电话为{hotline}；后续热线电话拟调整为{hotline_announced}，请以最新热线号码为准。"
)
DEFAULT_PILOTS_NOTE = "包含原{pilots}。"


class YearStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("yearplan", "Being edited")
    FROZEN = "frozen", pgettext_lazy("yearplan", "Frozen")


class Part(models.TextChoices):
    """The three parts of the document, in their printed order."""

    MEMBER_SERVICES = "member_services", _("Member and market services")
    INVESTOR_EDUCATION = "investor_education", _("Investor education")
    AWARDS = "awards", _("Awards and selections")


# The parts' headings as the document prints them (the document is written in Chinese).
PART_HEADINGS = {
    Part.MEMBER_SERVICES: "会员及市场服务",
    Part.INVESTOR_EDUCATION: "投资者教育",
    Part.AWARDS: "系列评优",
}
PART_ORDER = [Part.MEMBER_SERVICES, Part.INVESTOR_EDUCATION, Part.AWARDS]


class SectionKind(models.TextChoices):
    BACKGROUND = "background", _("Background")
    INTRODUCTION = "introduction", _("Programme")
    FLOW = "flow", _("Procedure")
    SUPPORT = "support", _("Support")


SECTION_HEADINGS = {
    SectionKind.BACKGROUND: "（背景信息）",
    SectionKind.INTRODUCTION: "（项目介绍）",
    SectionKind.FLOW: "（操作流程）",
    SectionKind.SUPPORT: "（支持方式）",
}
SECTION_ORDER = [SectionKind.BACKGROUND, SectionKind.INTRODUCTION, SectionKind.FLOW, SectionKind.SUPPORT]


class ArrangementYear(models.Model):
    year = models.PositiveIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    as_of = models.DateField(
        _("facts as of"), help_text=_("The hotline and other facts the document cites are those in force on this day.")
    )
    preface = models.TextField(
        _("preface"), help_text=_("One paragraph per line. Placeholders such as {year} are filled from the records.")
    )
    closing = models.TextField(_("closing words"), blank=True)
    hotline_note = models.TextField(_("hotline footnote"), default=DEFAULT_HOTLINE_NOTE)
    pilots_note = models.TextField(_("pilot programmes footnote"), default=DEFAULT_PILOTS_NOTE)
    hotline_announced = models.CharField(
        _("announced hotline"),
        max_length=60,
        blank=True,
        help_text=_("Words for the announced number while no later hotline setting is recorded, e.g. 400电话."),
    )
    status = models.CharField(_("status"), max_length=8, choices=YearStatus.choices, default=YearStatus.DRAFT)
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = models.JSONField(_("frozen document"), null=True, blank=True, editable=False)
    snapshot_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly arrangements")
        verbose_name_plural = _("yearly arrangements")
        constraints = [
            models.CheckConstraint(
                name="yearplan_frozen_has_snapshot",
                condition=Q(status="draft", snapshot__isnull=True, frozen_at__isnull=True)
                | Q(status="frozen", snapshot__isnull=False, frozen_at__isnull=False),
            ),
            models.CheckConstraint(name="yearplan_status_valid", condition=Q(status__in=["draft", "frozen"])),
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    def get_absolute_url(self) -> str:
        return reverse("yearplan:detail", args=[self.year])

    @property
    def is_frozen(self) -> bool:
        return self.status == YearStatus.FROZEN

    @property
    def document_date(self) -> datetime.date:
        """The fixed date written into the .docx/PDF metadata (never "now")."""
        return self.as_of


class Programme(models.Model):
    plan = models.ForeignKey(
        ArrangementYear, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("year")
    )
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_("Stays the same from year to year, so the year-on-year comparison can match programmes."),
    )
    part = models.CharField(_("part"), max_length=24, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("position in its part"), validators=[MinValueValidator(1)])
    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty when the part is a single programme (系列评优)."),
    )
    workflow = models.CharField(
        _("workflow"),
        max_length=40,
        blank=True,
        choices=flow_choices,  # a callable: a new flow needs no migration
        help_text=_("The workflow Huifu runs for this programme; its procedure must cite it as {flow:…}."),
    )
    background = models.TextField(_("background"), blank=True)
    introduction = models.TextField(pgettext_lazy("yearplan", "programme"), blank=True)
    procedure = models.TextField(_("procedure"), blank=True)
    support = models.TextField(_("support"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "part", "position"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="yearplan_programme_key_unique"),
            models.UniqueConstraint(fields=["plan", "part", "position"], name="yearplan_programme_position_unique"),
        ]

    def __str__(self) -> str:
        return self.title or PART_HEADINGS.get(self.part, self.part)

    def get_absolute_url(self) -> str:
        return reverse("yearplan:programme_edit", args=[self.plan.year, self.key])

    def section_text(self, kind: str) -> str:
        return {
            SectionKind.BACKGROUND: self.background,
            SectionKind.INTRODUCTION: self.introduction,
            SectionKind.FLOW: self.procedure,
            SectionKind.SUPPORT: self.support,
        }[kind]
