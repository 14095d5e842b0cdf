"""Award programmes and their evaluation schemes, versioned per year.

A ``SchemeVersion`` is one year's rules of one programme (optionally of one category of it, e.g.
an analyst category's rubric): an indicator tree, bonus items with caps, deduction types with
their points, and the tie-break rule published beforehand. It is edited while ``draft`` and
``frozen`` when the evaluation that uses it opens; the next year's scheme is a new version
(``based_on`` the previous one), never an edit of a frozen one.

States::

    draft ─freeze (evaluation opens / rubric published)─▶ frozen (terminal)
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.models import localized_name


class ProgrammeKind(models.TextChoices):
    MEMBER_RATING = "member_rating", pgettext_lazy("award programme", "Member rating")
    OVERSEAS_BROKER = "overseas_broker", pgettext_lazy("award programme", "Overseas broker contribution award")
    ANALYST = "analyst", pgettext_lazy("award programme", "Excellent analyst (team) selection")


class AwardProgramme(models.Model):
    """A yearly award. ``department`` owns it: only that department's staff open, compute, decide
    and publish (a department is data, so the owner is a field, not a name in code)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="award_programmes",
        verbose_name=_("owning department"),
    )
    subject_kind = models.CharField(
        _("who is evaluated"),
        max_length=32,
        blank=True,
        help_text=_("Organisation kind of the evaluated (futures_company, overseas_broker); empty for applications."),
    )
    english_first = models.BooleanField(
        _("English first"), default=False, help_text=_("Forms, notices and results show English before Chinese.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")

    def __str__(self) -> str:
        return localized_name(self)

    def bilingual(self) -> str:
        return f"{self.name_en} / {self.name_zh}" if self.english_first else f"{self.name_zh} / {self.name_en}"


class SchemeState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("scheme", "Draft")
    FROZEN = "frozen", pgettext_lazy("scheme", "Frozen")


class TieBreak(models.TextChoices):
    """How a tie at a quota boundary is broken; chosen (and published) with the scheme."""

    FIRST_INDICATOR = "first_indicator", _("Higher score on the first top-level indicator, then the next")
    FEWER_DEDUCTIONS = "fewer_deductions", _("Fewer deduction points, then the first top-level indicator")
    ALL_TIED_IN = "all_tied_in", _("All tied at the boundary are included (quota exceeded)")


class SchemeVersion(models.Model):
    programme = models.ForeignKey(
        AwardProgramme, on_delete=models.PROTECT, related_name="schemes", verbose_name=_("award programme")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    category_code = models.SlugField(
        _("category"),
        max_length=40,
        blank=True,
        help_text=_("Empty for the whole programme; a category code for a rubric of one category."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=SchemeState.choices, default=SchemeState.DRAFT)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("based on"),
    )
    scale = models.DecimalField(
        _("score scale"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("100"),
        help_text=_("Each indicator is scored from 0 to this value."),
    )
    bonus_cap = models.DecimalField(
        _("total bonus cap"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    deduction_cap = models.DecimalField(
        _("total deduction cap"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    tie_break = models.CharField(
        _("tie-break rule"), max_length=20, choices=TieBreak.choices, default=TieBreak.FIRST_INDICATOR
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("frozen by")
    )

    class Meta:
        ordering = ["programme", "-year", "category_code"]
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year", "category_code"], name="awards_one_scheme_per_year_category"
            ),
            models.CheckConstraint(
                condition=(Q(state="frozen") & Q(frozen_at__isnull=False))
                | (Q(state="draft") & Q(frozen_at__isnull=True)),
                name="awards_scheme_frozen_iff_frozen_at",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" · {self.category_code}" if self.category_code else ""
        return f"{self.programme} {self.year}{suffix}"

    @property
    def is_frozen(self) -> bool:
        return self.state == SchemeState.FROZEN


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher", _("Higher is better")
    LOWER_BETTER = "lower", _("Lower is better")


class IndicatorSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from Huifu's data")
    ENTERED = "entered", _("Entered by staff with evidence")
    JUDGES = "judges", _("Scored by judges")


class Indicator(models.Model):
    """A node of the indicator tree. ``weight`` is its share (%) of its level: the weights of the
    children of one parent (or of the top level) add up to 100. A leaf is scored 0..scale: a
    computed or entered value is scaled against the best value of the year (direction), a judges'
    indicator is the judges' score."""

    scheme = models.ForeignKey(
        SchemeVersion, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("scheme")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160)
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER_BETTER
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=IndicatorSource.choices, blank=True)
    metric = models.CharField(
        _("metric"), max_length=60, blank=True, help_text=_("For a computed indicator: the metric key.")
    )
    description = models.TextField(_("definition"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scheme", "sort_order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="awards_indicator_code_per_scheme"),
            models.CheckConstraint(
                condition=Q(weight__gte=0) & Q(weight__lte=100), name="awards_indicator_weight_percent"
            ),
            models.CheckConstraint(condition=~Q(source="computed") | ~Q(metric=""), name="awards_computed_has_metric"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {localized_name(self)}"


class BonusItem(models.Model):
    """An addition (加分项) granted with evidence, each capped; the scheme may cap their sum."""

    scheme = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="bonus_items")
    code = models.CharField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160)
    cap = models.DecimalField(_("cap (points)"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scheme", "sort_order", "pk"]
        verbose_name = _("bonus item")
        verbose_name_plural = _("bonus items")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="awards_bonus_code_per_scheme"),
            models.CheckConstraint(condition=Q(cap__gte=0), name="awards_bonus_cap_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {localized_name(self)}"


class DeductionType(models.Model):
    """Points deducted for one supervisory measure kind under this scheme (data, per year).
    ``to_be_checked`` marks example values not yet confirmed by the department."""

    scheme = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="deduction_types")
    measure_kind = models.CharField(_("measure type"), max_length=24)
    points = models.DecimalField(
        _("points deducted"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    to_be_checked = models.BooleanField(_("to be checked"), default=False)
    source_note = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["scheme", "points", "pk"]
        verbose_name = _("deduction type")
        verbose_name_plural = _("deduction types")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "measure_kind"], name="awards_deduction_kind_per_scheme"),
            models.CheckConstraint(condition=Q(points__gte=0), name="awards_deduction_points_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.measure_kind} −{self.points}"
