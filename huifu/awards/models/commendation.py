"""Commendation (表彰): an award edition's published winners and their certificates.

Generic: the member rating and the overseas broker award hand their winners over from their final list;
the excellent analyst selection (``huifu.selections``) hands over its own. Each winner gets a
certificate with a gapless yearly number (``A2024-0001``, one ``CertificateCounter`` row per year
locked while a number is taken) and an HMAC verification code (``huifu.certificates.codes``) for
the public check ``/public/awards/verify/<code>/``.

Edition states::

    draft ─publish winners (notice)─▶ published (more winners may be added by a later publish)

Winner states::

    valid ─revoke (reason)─▶ revoked (terminal; the row, number and history stay)
"""

from __future__ import annotations

from types import SimpleNamespace

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import localized_name


class EditionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("award edition", "Draft")
    PUBLISHED = "published", pgettext_lazy("award edition", "Published")


class AwardEdition(models.Model):
    """One year's award of a programme (e.g. 2023年度会员评优)."""

    programme = models.ForeignKey(
        "awards.AwardProgramme", on_delete=models.PROTECT, related_name="editions", verbose_name=_("award programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=240)
    state = models.CharField(_("state"), max_length=10, choices=EditionState.choices, default=EditionState.DRAFT)
    unordered = models.BooleanField(
        _("listed without ranking"),
        default=False,
        help_text=_("Winners are published 排名不分先后 (in the order handed over, e.g. pinyin)."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("notice")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "programme"]
        verbose_name = _("award edition")
        verbose_name_plural = _("award editions")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="awards_one_edition_per_year"),
            models.CheckConstraint(
                condition=(Q(state="published") & Q(published_at__isnull=False))
                | (Q(state="draft") & Q(published_at__isnull=True)),
                name="awards_edition_published_iff_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("awards:edition", args=[self.pk])

    @property
    def title(self) -> str:
        return localized_name(SimpleNamespace(name_zh=self.title_zh, name_en=self.title_en))

    def bilingual_title(self) -> str:
        if self.programme.english_first:
            return f"{self.title_en} / {self.title_zh}"
        return f"{self.title_zh} / {self.title_en}"


class AwardCategory(models.Model):
    """A category of an edition (优秀会员, 最佳进步奖, 金牌分析师 …) with its quota (data per year)."""

    edition = models.ForeignKey(AwardEdition, on_delete=models.CASCADE, related_name="categories")
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160)
    quota = models.PositiveSmallIntegerField(_("quota"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["edition", "sort_order", "pk"]
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        constraints = [models.UniqueConstraint(fields=["edition", "code"], name="awards_category_code_per_edition")]

    def __str__(self) -> str:
        return localized_name(self)


class WinnerState(models.TextChoices):
    VALID = "valid", pgettext_lazy("award winner", "Valid")
    REVOKED = "revoked", pgettext_lazy("award winner", "Revoked")


class CertificateCounter(models.Model):
    """The last award certificate number given in a year (locked while the next is taken)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("award certificate counter")
        verbose_name_plural = _("award certificate counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Winner(models.Model):
    """A published winner: an organisation (member rating, overseas broker award) or a person or team of a
    member company (analysts). Names are stored as printed (``name_zh``/``name_en``, ``members``
    for a team), so the list and certificate never change when the directory does."""

    edition = models.ForeignKey(AwardEdition, on_delete=models.PROTECT, related_name="winners")
    category = models.ForeignKey(AwardCategory, on_delete=models.PROTECT, related_name="winners")
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="award_wins", verbose_name=_("organisation")
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=240, blank=True)
    members = models.JSONField(_("team members"), default=list, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position in the list"))
    source = models.CharField(
        _("source"),
        max_length=80,
        blank=True,
        help_text=_("What the winner comes from, e.g. selections.application:12."),
    )
    state = models.CharField(_("state"), max_length=8, choices=WinnerState.choices, default=WinnerState.VALID)
    year = models.PositiveSmallIntegerField(_("certificate year"))
    serial = models.PositiveIntegerField(_("serial"))
    number = models.CharField(_("certificate number"), max_length=20, unique=True)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["edition", "category__sort_order", "position", "pk"]
        verbose_name = _("award winner")
        verbose_name_plural = _("award winners")
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="awards_winner_serial_per_year"),
            models.UniqueConstraint(
                fields=["edition", "source"], condition=~Q(source=""), name="awards_winner_source_once"
            ),
            models.CheckConstraint(
                condition=(Q(state="revoked") & Q(revoked_at__isnull=False) & ~Q(revocation_reason=""))
                | (Q(state="valid") & Q(revoked_at__isnull=True)),
                name="awards_winner_revoked_iff_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name_zh}"

    @property
    def name(self) -> str:
        return localized_name(self)

    @property
    def is_valid(self) -> bool:
        return self.state == WinnerState.VALID

    def get_verification_path(self) -> str:
        return reverse("awards_public:verify", args=[self.code])

    @property
    def verification_url(self) -> str:
        from huifu.core.http import absolute_url

        return absolute_url(self.get_verification_path())
