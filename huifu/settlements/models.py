"""Fee-reduction settlements (手续费减收结算) of the "Strengthen Source, Help Enterprises" projects.

Workflow of a ``SettlementRun`` (one project × one period)::

    draft ──compute──▶ computed ──review──▶ reviewed ──approve──▶ approved
      ▲                  │ ▲                   │
      └──────────────────┘ └──── return ───────┘
         (re-compute replaces the lines of a draft/computed run only)
    draft / computed / reviewed ──cancel (with a reason)──▶ cancelled (frees its period)

No two live (not cancelled) runs of one project overlap: a trading day is settled once.

A run stores everything needed to reproduce it: the rule snapshot and calendar facts
(``inputs``), and per line the window, the trading days counted and the data totals.
Statements (one per member) are visible to the member once the run is approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SettlementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTED = "computed", _("Computed")
    REVIEWED = "reviewed", _("Reviewed")
    APPROVED = "approved", pgettext_lazy("settlement", "Approved")
    CANCELLED = "cancelled", pgettext_lazy("settlement", "Cancelled")

    @classmethod
    def recomputable(cls) -> frozenset[str]:
        """States whose lines a new computation may replace."""
        return frozenset({cls.DRAFT, cls.COMPUTED})

    @classmethod
    def terminal(cls) -> frozenset[str]:
        return frozenset({cls.APPROVED, cls.CANCELLED})

    @classmethod
    def live(cls) -> frozenset[str]:
        """Runs that hold their period: no other run of the project may overlap them."""
        return frozenset({cls.DRAFT, cls.COMPUTED, cls.REVIEWED, cls.APPROVED})


SETTLEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    SettlementStatus.DRAFT: frozenset({SettlementStatus.COMPUTED, SettlementStatus.CANCELLED}),
    SettlementStatus.COMPUTED: frozenset(
        {SettlementStatus.COMPUTED, SettlementStatus.REVIEWED, SettlementStatus.CANCELLED}
    ),
    SettlementStatus.REVIEWED: frozenset(
        {SettlementStatus.APPROVED, SettlementStatus.COMPUTED, SettlementStatus.CANCELLED}
    ),
    SettlementStatus.APPROVED: frozenset(),
    SettlementStatus.CANCELLED: frozenset(),
}


class SettlementRun(models.Model):
    project = models.ForeignKey(
        "incentives.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="settlement_runs"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(
        _("status"), max_length=16, choices=SettlementStatus.choices, default=SettlementStatus.DRAFT, db_index=True
    )
    inputs = models.JSONField(_("inputs (rules, caps, calendar)"), default=dict, blank=True)
    total_amount = models.DecimalField(_("total reduction (CNY)"), max_digits=18, decimal_places=2, default=0)
    statement_count = models.PositiveIntegerField(_("members"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    # Whoever last computed the figures prepared them as much as the run's creator did: neither
    # may review or approve them (four eyes).
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("computed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("settlement run")
        verbose_name_plural = _("settlement runs")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end"],
                condition=~Q(status="cancelled"),
                name="settlement_one_run_per_project_period",
                violation_error_message=_("This project already has a settlement for this period."),
            ),
            models.CheckConstraint(
                name="settlement_period_ordered", condition=Q(period_end__gte=models.F("period_start"))
            ),
            models.CheckConstraint(
                name="settlement_computed_at_iff_computed",
                condition=Q(status="draft", computed_at__isnull=True)
                | Q(status="cancelled")
                | (~Q(status__in=["draft", "cancelled"]) & Q(computed_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="settlement_reviewed_iff_reviewed",
                condition=Q(status__in=["reviewed", "approved"], reviewed_by__isnull=False, reviewed_at__isnull=False)
                | (Q(status__in=["draft", "computed"]) & Q(reviewed_by__isnull=True))
                | Q(status="cancelled"),
            ),
            models.CheckConstraint(
                name="settlement_approved_iff_approved",
                condition=Q(status="approved", approved_by__isnull=False, approved_at__isnull=False)
                | (~Q(status="approved") & Q(approved_by__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("settlements:run_detail", args=[self.pk])

    @property
    def is_recomputable(self) -> bool:
        return self.status in SettlementStatus.recomputable()


class SettlementStatement(models.Model):
    """What one member earns in one run: the sum of its lines."""

    run = models.ForeignKey(
        SettlementRun, verbose_name=_("settlement"), on_delete=models.CASCADE, related_name="statements"
    )
    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    total_amount = models.DecimalField(_("total reduction (CNY)"), max_digits=18, decimal_places=2)
    amount_before_caps = models.DecimalField(_("before project caps (CNY)"), max_digits=18, decimal_places=2)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)  # member/project cap steps

    class Meta:
        ordering = ["run_id", "organisation__member_number", "id"]
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        constraints = [
            models.UniqueConstraint(fields=["run", "organisation"], name="settlement_one_statement_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.organisation_id}"

    def get_absolute_url(self) -> str:
        return reverse("settlements:statement_detail", args=[self.pk])


class LineKind(models.TextChoices):
    PRODUCT = "product", _("Product fee reduction")
    AWARD = "award", _("Fixed award for an accepted result")


class SettlementLine(models.Model):
    """One product (or the fixed award) of a statement, with every input and step kept."""

    statement = models.ForeignKey(
        SettlementStatement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="lines"
    )
    participation = models.ForeignKey(
        "incentives.Participation", verbose_name=_("participation"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LineKind.choices)
    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"))
    window_start = models.DateField(_("from"), null=True, blank=True)
    window_end = models.DateField(_("to"), null=True, blank=True)
    trading_days = models.PositiveIntegerField(_("trading days"), default=0)
    volume = models.BigIntegerField(_("volume (lots)"), default=0)
    turnover = models.DecimalField(_("turnover (CNY)"), max_digits=22, decimal_places=2, default=0)
    fees = models.DecimalField(_("fees (CNY)"), max_digits=20, decimal_places=4, default=0)
    avg_open_interest = models.DecimalField(_("daily average OI (lots)"), max_digits=20, decimal_places=4, default=0)
    basis = models.CharField(_("basis"), max_length=24, blank=True)
    measure = models.DecimalField(_("basis quantity"), max_digits=24, decimal_places=4, default=0)
    qualified = models.BooleanField(_("qualified"), default=True)
    amount_before_caps = models.DecimalField(_("line amount (CNY)"), max_digits=18, decimal_places=2, default=0)
    amount = models.DecimalField(_("final amount (CNY)"), max_digits=18, decimal_places=2, default=0)
    explanation = models.JSONField(_("explanation"), default=list, blank=True)

    class Meta:
        ordering = ["statement_id", "position"]
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        constraints = [
            models.CheckConstraint(
                name="settlement_line_product_iff_product_kind",
                condition=Q(kind="product", product__isnull=False) | Q(kind="award", product__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} #{self.position}"
