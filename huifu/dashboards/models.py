"""Dashboard data that staff edit: the written definition of every figure, versioned per year
(an edition applies from its year until a later edition), and the public page's suppression
threshold per year. The figures themselves are never stored here: they are computed from the
programmes' records (``figures.py``) or read from a summary they keep (the service desk's
``ReportFigure``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FigureDefinition(models.Model):
    """What a figure counts and in which states, as written for ``year`` (and the years after it
    until a later edition of the same figure)."""

    year = models.PositiveSmallIntegerField(_("from year"), validators=[MinValueValidator(2000)])
    key = models.CharField(_("figure"), max_length=40)
    text_zh = models.TextField(_("definition (Chinese)"))
    text_en = models.TextField(_("definition (English)"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["key", "-year"]
        verbose_name = _("figure definition")
        verbose_name_plural = _("figure definitions")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="dashboards_one_definition_per_year"),
            models.CheckConstraint(condition=~Q(text_zh=""), name="dashboards_definition_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.year})"


class PublicThreshold(models.Model):
    """Counts below ``minimum`` are not shown on the public figures page (from ``year`` on)."""

    year = models.PositiveSmallIntegerField(_("from year"), unique=True, validators=[MinValueValidator(2000)])
    minimum = models.PositiveSmallIntegerField(
        _("smallest count shown"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("public threshold")
        constraints = [models.CheckConstraint(condition=Q(minimum__gte=1), name="dashboards_threshold_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.minimum}"
