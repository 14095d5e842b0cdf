"""“Strengthen Source, Help Enterprises” projects (上期强源助企): projects per year, their
fee-reduction rules per product, and members' participations from application to closing.

Participation workflow (see ``PARTICIPATION_TRANSITIONS`` and README.md)::

    submitted ──approve──▶ tracking ──submit results──▶ acceptance_review ──accept──▶ accepted
        │  └─reject─▶ rejected          │                     │  └─fail─▶ failed
        └─withdraw─▶ withdrawn ◀────────┘                     └─return─▶ tracking
    accepted ──closing application──▶ closing_review ──approve──▶ closed
                 (projects with closing)      └─return─▶ accepted

Only ``huifu.incentives.services`` changes these records.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .tiers import TierMode, parse_tiers

ZERO = Decimal("0")


class PilotProgramme(models.Model):
    """An earlier pilot programme absorbed into the brand (the seed's footnote)."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("pilot programme")
        verbose_name_plural = _("pilot programmes")

    def __str__(self) -> str:
        return self.name_zh


class ProjectKind(models.TextChoices):
    FUNCTIONAL = "functional", _("Functional")
    SERVICE = "service", _("Service")
    # Investor education in the national education system: a university applies with a research
    # topic (课题研究); same apply → review → track → accept flow, no products, no fee reduction.
    RESEARCH = "research", _("University research")


class ServiceLine(models.TextChoices):
    PRICING_BENCHMARK = "pricing_benchmark", _("Pricing benchmark")
    ENTERPRISE_EXPANSION = "enterprise_expansion", _("Enterprise expansion")
    TOOL_APPLICATION = "tool_application", _("Tool application")


class EntryMode(models.TextChoices):
    APPLY = "apply", _("Application")
    FILE = "file", _("Filing")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", pgettext_lazy("project", "Open")
    CLOSED = "closed", pgettext_lazy("project", "Closed")


class CapScope(models.TextChoices):
    """What a cap limits: one settlement, or everything the project ever pays."""

    RUN = "run", _("Each settlement on its own")
    PROJECT = "project", _("The whole project, all settlements together")


class PayoutOrder(models.TextChoices):
    """Whether a partial acceptance's payout ratio is applied before or after the product's cap."""

    BEFORE_RULE_CAP = "before_rule_cap", _("Payout ratio first, then the product cap")
    AFTER_RULE_CAP = "after_rule_cap", _("Product cap first, then the payout ratio")


class MissingDayRule(models.TextChoices):
    """What a trading day without any daily row of a member means."""

    HELD_NOTHING = "held_nothing", _("The member held nothing that day (counts as 0)")
    DATA_MISSING = "data_missing", _("The data is missing (the day is left out of the daily average)")


class Project(models.Model):
    year = models.PositiveIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("e.g. 2023-F01"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ProjectKind.choices)
    service_line = models.CharField(
        _("service line"),
        max_length=32,
        choices=ServiceLine.choices,
        blank=True,
        help_text=_("Service projects only."),
    )
    description = models.TextField(_("description"), blank=True)
    products = models.ManyToManyField(
        "products.Product", related_name="incentive_projects", blank=True, verbose_name=_("covered products")
    )
    open_to_members = models.BooleanField(_("open to futures company members"), default=True)
    open_to_platform_traders = models.BooleanField(_("open to platform traders"), default=False)
    entry_mode = models.CharField(_("entry"), max_length=8, choices=EntryMode.choices, default=EntryMode.APPLY)
    requires_closing = models.BooleanField(
        _("closing application and review"),
        default=False,
        help_text=_("The member applies for closing after acceptance; the exchange reviews it."),
    )
    review_working_days = models.PositiveSmallIntegerField(
        _("review deadline (working days)"), default=10, validators=[MinValueValidator(1)]
    )
    acceptance_working_days = models.PositiveSmallIntegerField(
        _("acceptance deadline (working days)"), default=15, validators=[MinValueValidator(1)]
    )
    closing_working_days = models.PositiveSmallIntegerField(
        _("closing review deadline (working days)"), default=10, validators=[MinValueValidator(1)]
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incentive_projects",
        verbose_name=_("responsible department"),
    )
    notice_doc_number = models.CharField(_("governing notice number"), max_length=60, blank=True)
    notice_date = models.DateField(_("governing notice date"), null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="incentive_projects",
        verbose_name=_("governing notice"),
    )
    pilots = models.ManyToManyField(
        PilotProgramme, related_name="projects", blank=True, verbose_name=_("absorbed pilot programmes")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    cap_per_member = models.DecimalField(
        _("cap per member (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The most one member earns from this project, all products together (see its scope)."),
    )
    cap_total = models.DecimalField(
        _("cap for the project (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("The most all members together earn from this project (see its scope)."),
    )
    award_per_result = models.DecimalField(
        _("fixed award per accepted result (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Service projects: a fixed reduction for each accepted participation."),
    )
    # Settlement decisions, written down as data (docs/workflows.md, "Fee-reduction settlements").
    cap_total_scope = models.CharField(
        _("scope of the project cap"), max_length=8, choices=CapScope.choices, default=CapScope.PROJECT
    )
    cap_per_member_scope = models.CharField(
        _("scope of the cap per member"), max_length=8, choices=CapScope.choices, default=CapScope.PROJECT
    )
    rule_cap_scope = models.CharField(
        _("scope of the product caps per member"), max_length=8, choices=CapScope.choices, default=CapScope.PROJECT
    )
    cap_ratio_public = models.BooleanField(
        _("members see the project cap's scaling ratio"),
        default=False,
        help_text=_("Off: a member's statement shows only its own amounts, nothing about the other members."),
    )
    prorate_for_joiners = models.BooleanField(
        _("pro-rate tiers and caps for members joining mid-period"),
        default=False,
        help_text=_(
            "On: tier bounds, the minimum volume and the caps shrink by the share of trading days the member took part."
        ),
    )
    payout_order = models.CharField(
        _("payout ratio and product cap"),
        max_length=16,
        choices=PayoutOrder.choices,
        default=PayoutOrder.BEFORE_RULE_CAP,
    )
    missing_day_rule = models.CharField(
        _("a trading day without data"),
        max_length=16,
        choices=MissingDayRule.choices,
        default=MissingDayRule.HELD_NOTHING,
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("incentive project")
        verbose_name_plural = _("incentive projects")
        constraints = [
            models.CheckConstraint(
                name="project_period_ordered",
                condition=Q(period_end__gte=models.F("period_start")),
                violation_error_message=_("The period must end on or after its start."),
            ),
            models.CheckConstraint(
                name="project_service_line_iff_service",
                condition=(Q(kind="service") & ~Q(service_line=""))
                | (Q(kind__in=["functional", "research"]) & Q(service_line="")),
                violation_error_message=_("A service project needs a service line; a functional project has none."),
            ),
            models.CheckConstraint(
                name="project_someone_may_join",
                condition=Q(kind="research") | Q(open_to_members=True) | Q(open_to_platform_traders=True),
                violation_error_message=_("Open the project to members, platform traders or both."),
            ),
            models.CheckConstraint(name="project_status_valid", condition=Q(status__in=["draft", "open", "closed"])),
            models.CheckConstraint(
                name="project_kind_valid", condition=Q(kind__in=["functional", "service", "research"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    def get_absolute_url(self) -> str:
        return reverse("incentives:project_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == ProjectStatus.OPEN

    @property
    def is_research(self) -> bool:
        return self.kind == ProjectKind.RESEARCH

    def eligible_org_kinds(self) -> set[str]:
        if self.is_research:
            # Research calls are answered by universities only, never by members.
            return {"university"}
        kinds = set()
        if self.open_to_members:
            kinds.add("futures_company")
        if self.open_to_platform_traders:
            kinds.add("platform_trader")
        return kinds


class RuleBasis(models.TextChoices):
    VOLUME = "volume", _("Trading volume (lots)")
    TURNOVER = "turnover", _("Turnover (CNY)")
    FEES = "fees", _("Fees (CNY)")
    AVG_OPEN_INTEREST = "avg_open_interest", _("Daily average open interest (lots)")


class TierModeChoice(models.TextChoices):
    MARGINAL = TierMode.MARGINAL, _("Marginal: each band at its own rate")
    WHOLE = TierMode.WHOLE, _("Whole: the reached band's rate applies to all")


class ProjectRule(models.Model):
    """How one product earns a fee reduction in one project. Schema and computation: README.md."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="rules", verbose_name=_("project"))
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="incentive_rules", verbose_name=_("product")
    )
    basis = models.CharField(_("basis"), max_length=24, choices=RuleBasis.choices, default=RuleBasis.VOLUME)
    tier_mode = models.CharField(
        _("tier mode"), max_length=10, choices=TierModeChoice.choices, default=TierModeChoice.MARGINAL
    )
    tiers = models.JSONField(
        _("tiers"),
        default=list,
        help_text=_(
            'Ordered bands, e.g. [{"from": "0", "to": "100000", "rate": "0.10"}, {"from": "100000", "to": null, "rate": "0.20"}]'
        ),
    )
    min_volume = models.DecimalField(
        _("minimum volume (lots)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    min_avg_open_interest = models.DecimalField(
        _("minimum daily average open interest (lots)"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    cap_per_member = models.DecimalField(
        _("cap per member for this product (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["project_id", "product__kind", "product__sort_order", "product__code"]
        verbose_name = _("project rule")
        verbose_name_plural = _("project rules")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "product"],
                name="project_rule_one_per_product",
                violation_error_message=_("This project already has a rule for this product."),
            ),
            models.CheckConstraint(
                name="project_rule_basis_valid",
                condition=Q(basis__in=["volume", "turnover", "fees", "avg_open_interest"]),
            ),
            models.CheckConstraint(name="project_rule_mode_valid", condition=Q(tier_mode__in=["marginal", "whole"])),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.product.code}"

    def parsed_tiers(self):  # noqa: ANN201
        return parse_tiers(self.tiers)


class ParticipationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    REJECTED = "rejected", pgettext_lazy("review", "Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    TRACKING = "tracking", _("Approved, in tracking")
    ACCEPTANCE_REVIEW = "acceptance_review", _("Results submitted, awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Not accepted")
    CLOSING_REVIEW = "closing_review", _("Closing applied, awaiting review")
    CLOSED = "closed", pgettext_lazy("project", "Closed")

    @classmethod
    def open_states(cls) -> frozenset[str]:
        return frozenset({cls.SUBMITTED, cls.TRACKING, cls.ACCEPTANCE_REVIEW, cls.CLOSING_REVIEW})

    @classmethod
    def terminal(cls) -> frozenset[str]:
        return frozenset({cls.REJECTED, cls.WITHDRAWN, cls.FAILED, cls.CLOSED})

    @classmethod
    def approved(cls) -> frozenset[str]:
        """Approved at review (joined_on and the effective period are set)."""
        return frozenset(
            {cls.TRACKING, cls.ACCEPTANCE_REVIEW, cls.ACCEPTED, cls.FAILED, cls.CLOSING_REVIEW, cls.CLOSED}
        )

    @classmethod
    def settleable(cls) -> frozenset[str]:
        """States whose participations earn reductions (with result accepted or partial)."""
        return frozenset({cls.ACCEPTED, cls.CLOSING_REVIEW, cls.CLOSED})

    @classmethod
    def withdrawable(cls) -> frozenset[str]:
        return frozenset({cls.SUBMITTED, cls.TRACKING})


PARTICIPATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ParticipationStatus.SUBMITTED: frozenset(
        {ParticipationStatus.TRACKING, ParticipationStatus.REJECTED, ParticipationStatus.WITHDRAWN}
    ),
    ParticipationStatus.TRACKING: frozenset({ParticipationStatus.ACCEPTANCE_REVIEW, ParticipationStatus.WITHDRAWN}),
    ParticipationStatus.ACCEPTANCE_REVIEW: frozenset(
        {ParticipationStatus.ACCEPTED, ParticipationStatus.FAILED, ParticipationStatus.TRACKING}
    ),
    ParticipationStatus.ACCEPTED: frozenset({ParticipationStatus.CLOSING_REVIEW}),
    ParticipationStatus.CLOSING_REVIEW: frozenset({ParticipationStatus.CLOSED, ParticipationStatus.ACCEPTED}),
    ParticipationStatus.REJECTED: frozenset(),
    ParticipationStatus.WITHDRAWN: frozenset(),
    ParticipationStatus.FAILED: frozenset(),
    ParticipationStatus.CLOSED: frozenset(),
}


class AcceptanceResult(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTIAL = "partial", _("Partially accepted")
    FAILED = "failed", pgettext_lazy("review", "Failed")


class Participation(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, related_name="participations", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="incentive_participations",
        verbose_name=_("member"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ParticipationStatus.choices,
        default=ParticipationStatus.SUBMITTED,
        db_index=True,
    )
    entry_mode = models.CharField(_("entry"), max_length=8, choices=EntryMode.choices)
    plan = models.TextField(pgettext_lazy("incentive", "plan"))
    # Research projects only (required there): the topic the university proposes to study.
    topic = models.CharField(_("research topic"), max_length=200, blank=True)
    products = models.ManyToManyField(
        "products.Product", related_name="incentive_participations", blank=True, verbose_name=_("target products")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"))
    # Set at approval. The member earns only inside [effective_from, effective_to] (both inclusive).
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    # Set at acceptance.
    result = models.CharField(_("result"), max_length=10, choices=AcceptanceResult.choices, blank=True)
    result_notes = models.TextField(_("acceptance notes"), blank=True)
    payout_ratio = models.DecimalField(
        _("payout ratio"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("1"))],
        help_text=_("Share of the computed reduction paid: 1 when accepted, less when partially accepted."),
    )
    award_amount = models.DecimalField(
        _("fixed award (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("project", "closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                condition=~Q(status__in=["rejected", "withdrawn"]),
                name="participation_one_live_per_project_org",
                violation_error_message=_("This organisation already takes part in this project."),
            ),
            models.CheckConstraint(
                name="participation_status_valid",
                condition=Q(status__in=[s.value for s in ParticipationStatus]),
            ),
            models.CheckConstraint(
                name="participation_effective_iff_approved",
                condition=(
                    Q(status__in=["submitted", "rejected"])
                    & Q(effective_from__isnull=True)
                    & Q(effective_to__isnull=True)
                    & Q(joined_on__isnull=True)
                )
                | (
                    Q(status__in=["tracking", "acceptance_review", "accepted", "failed", "closing_review", "closed"])
                    & Q(effective_from__isnull=False)
                    & Q(effective_to__isnull=False)
                    & Q(joined_on__isnull=False)
                    & Q(effective_to__gte=models.F("effective_from"))
                )
                | Q(status="withdrawn"),
                violation_error_message=_("An approved participation has a joining date and an effective period."),
            ),
            models.CheckConstraint(
                name="participation_result_iff_accepted",
                condition=(
                    Q(status__in=["accepted", "closing_review", "closed"])
                    & Q(result__in=["accepted", "partial"])
                    & Q(payout_ratio__isnull=False)
                    & Q(accepted_at__isnull=False)
                )
                | (Q(status="failed") & Q(result="failed") & Q(accepted_at__isnull=False))
                | (
                    Q(status__in=["submitted", "rejected", "withdrawn", "tracking", "acceptance_review"]) & Q(result="")
                ),
                violation_error_message=_("An accepted participation has a result; others have none."),
            ),
            models.CheckConstraint(
                name="participation_closed_at_iff_closed",
                condition=(Q(status="closed") & Q(closed_at__isnull=False))
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("incentives:participation_detail", args=[self.pk])

    @property
    def is_settleable(self) -> bool:
        return self.status in ParticipationStatus.settleable() and self.result in {
            AcceptanceResult.ACCEPTED,
            AcceptanceResult.PARTIAL,
        }


class Stage(models.TextChoices):
    REVIEW = "review", pgettext_lazy("review", "Review")
    ACCEPTANCE = "acceptance", _("Acceptance")
    CLOSING = "closing", _("Closing review")


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("review", "Approved")
    REJECTED = "rejected", pgettext_lazy("review", "Rejected")
    RETURNED = "returned", _("Returned for more work")
    ACCEPTED = "accepted", _("Accepted")
    PARTIAL = "partial", _("Partially accepted")
    FAILED = "failed", pgettext_lazy("review", "Failed")


class ParticipationDecision(models.Model):
    """The exchange's decision at one stage, with the reviewer's comments (append-only)."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("participation")
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome.choices)
    comment = models.TextField(_("comments"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = pgettext_lazy("review", "decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_outcome_display()}"


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    RESULTS = "results", _("Results for acceptance")
    CLOSING = "closing", _("Closing application")


class ParticipationReport(models.Model):
    """A member's submission after approval: progress, results for acceptance, closing."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="reports", verbose_name=_("participation")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.submitted_at:%Y-%m-%d}"


class ParticipationAttachment(models.Model):
    """Supporting files of the application (``report`` empty) or of a report (evidence)."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("participation")
    )
    report = models.ForeignKey(
        ParticipationReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("report"),
    )
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return str(self.file)
