"""Enterprise deep-cultivation plan (企业深耕计划).

A futures company member keeps **enterprise profiles** (one per enterprise it serves: situation,
products of interest, an append-only contact log) and applies with a **plan** for some of them.

Plan workflow (see ``PLAN_TRANSITIONS``; only ``huifu.deepening.services`` changes a status)::

    draft ─submit─▶ submitted ─return─▶ returned ─resubmit─▶ submitted
                     │ approve (allocation from a budget pool)
                     ├──────────▶ approved ─first progress report─▶ in_progress
                     └─reject──▶ rejected                               │ complete
                                       closed ◀─close (after costs)─ completed

Each submission (and resubmission) is a ``PlanSubmission`` round: the review clock runs on it,
and a returned round carries the reviewer's comment. ``PlanEvent`` rows are the timeline shown to
every party (member, staff, regulator); the audit trail remains the staff-only full history.

Regional supervision: a regulator (a user of a CSRC bureau) sees a non-draft plan when at least
one of the plan's enterprises is in the bureau's region. The enterprise's region decides, not the
member's: the plan is about serving the enterprises in the bureau's area.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from huifu.directory.regions import Region


class EnterpriseSituation(models.TextChoices):
    TRADING = "trading", _("Already trading")
    WILLING = "willing", _("Willing, not yet trading")
    OBSTACLE = "obstacle", _("Facing obstacles")


# What a plan should aim at for an enterprise in each situation (the seed plan's three cases).
SITUATION_GUIDANCE = {
    EnterpriseSituation.TRADING: _("Make it an example: cases and publicity."),
    EnterpriseSituation.WILLING: _(
        "Teach how futures markets work and help the enterprise build a price risk-management system."
    ),
    EnterpriseSituation.OBSTACLE: _("Find out what stands in the way and keep regular contact."),
}


class ContactChannel(models.TextChoices):
    VISIT = "visit", _("On-site visit")
    MEETING = "meeting", _("Meeting at our office")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online meeting")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class EnterpriseProfile(models.Model):
    """A member's profile of one enterprise it serves. ``enterprise`` links the directory entry;
    until Member Management registers a new enterprise, ``pending_name``/``pending_region`` hold
    what the member entered."""

    member = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="deepening_profiles",
        verbose_name=_("member"),
    )
    enterprise = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deepening_profiles_as_enterprise",
        verbose_name=_("enterprise"),
    )
    pending_name = models.CharField(_("enterprise name (not yet registered)"), max_length=200, blank=True)
    pending_region = models.CharField(
        _("region (not yet registered)"), max_length=16, choices=Region.choices, blank=True
    )
    pending_uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    industry = models.CharField(_("industry"), max_length=100)
    products_of_interest = models.JSONField(_("products of interest"), default=list, blank=True)
    situation = models.CharField(_("situation"), max_length=16, choices=EnterpriseSituation.choices)
    obstacle_description = models.TextField(_("obstacles"), blank=True)
    is_key_enterprise = models.BooleanField(_("key or leading enterprise"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["member_id", "pk"]
        verbose_name = _("enterprise profile")
        verbose_name_plural = _("enterprise profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="deepening_profile_unique_per_member",
                violation_error_message=_("You already have a profile of this enterprise."),
            ),
            models.CheckConstraint(
                name="deepening_profile_enterprise_or_pending",
                condition=Q(enterprise__isnull=False) | (~Q(pending_name="") & ~Q(pending_region="")),
            ),
            models.CheckConstraint(
                name="deepening_profile_obstacle_described",
                condition=~Q(situation="obstacle") | ~Q(obstacle_description=""),
            ),
            models.CheckConstraint(
                name="deepening_profile_situation_valid", condition=Q(situation__in=["trading", "willing", "obstacle"])
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("deepening:profile_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return self.enterprise.name_zh if self.enterprise_id else self.pending_name

    @property
    def region(self) -> str:
        return self.enterprise.region if self.enterprise_id else self.pending_region

    def get_region_display(self) -> str:
        return str(dict(Region.choices).get(self.region, self.region))

    @property
    def is_registered(self) -> bool:
        return self.enterprise_id is not None

    @property
    def guidance(self) -> str:
        return str(SITUATION_GUIDANCE.get(self.situation, ""))


def profile_region_q(region: str, prefix: str = "") -> Q:
    """Profiles (reached through ``prefix``) whose enterprise is in ``region``."""
    return Q(**{f"{prefix}enterprise__region": region}) | Q(
        **{f"{prefix}enterprise__isnull": True, f"{prefix}pending_region": region}
    )


class ContactLogEntry(models.Model):
    """One contact with the enterprise. Append-only: there is no edit or delete operation."""

    profile = models.ForeignKey(
        EnterpriseProfile, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("enterprise profile")
    )
    contact_date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    participants = models.CharField(_("who"), max_length=200, help_text=_("Who took part, on both sides."))
    summary = models.TextField(_("summary"))
    next_step = models.TextField(_("next step"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-contact_date", "-pk"]
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log entries")

    def __str__(self) -> str:
        return f"{self.contact_date} {self.get_channel_display()}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT, cls.RETURNED})

    @classmethod
    def running(cls) -> frozenset[str]:
        """Approved and not yet closed: progress, completion and costs happen here."""
        return frozenset({cls.APPROVED, cls.IN_PROGRESS, cls.COMPLETED})

    @classmethod
    def funded(cls) -> frozenset[str]:
        return frozenset({cls.APPROVED, cls.IN_PROGRESS, cls.COMPLETED, cls.CLOSED})

    @classmethod
    def terminal(cls) -> frozenset[str]:
        return frozenset({cls.REJECTED, cls.CLOSED})


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.SUBMITTED}),
    PlanStatus.SUBMITTED: frozenset({PlanStatus.RETURNED, PlanStatus.APPROVED, PlanStatus.REJECTED}),
    PlanStatus.RETURNED: frozenset({PlanStatus.SUBMITTED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.IN_PROGRESS, PlanStatus.COMPLETED}),
    PlanStatus.IN_PROGRESS: frozenset({PlanStatus.COMPLETED}),
    PlanStatus.COMPLETED: frozenset({PlanStatus.CLOSED}),
    PlanStatus.REJECTED: frozenset(),
    PlanStatus.CLOSED: frozenset(),
}


class DeepeningPlan(models.Model):
    member = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="deepening_plans", verbose_name=_("member")
    )
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("overall objectives"))
    period_start = models.DateField(pgettext_lazy("date", "starts"))
    period_end = models.DateField(pgettext_lazy("date", "ends"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    approved_amount = models.DecimalField(
        _("approved amount (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The budget allocation made on approval (huifu.budget); kept as an id so this app does not
    # depend on the budget app's migrations.
    allocation_id = models.PositiveBigIntegerField(null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    completion_summary = models.TextField(_("completion summary"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("deep-cultivation plan")
        verbose_name_plural = _("deep-cultivation plans")
        constraints = [
            models.CheckConstraint(name="deepening_plan_status_valid", condition=Q(status__in=list(PLAN_TRANSITIONS))),
            models.CheckConstraint(
                name="deepening_plan_period_order", condition=Q(period_end__gte=models.F("period_start"))
            ),
            models.CheckConstraint(
                name="deepening_plan_funded_has_amount",
                condition=~Q(status__in=["approved", "in_progress", "completed", "closed"])
                | (Q(approved_amount__isnull=False) & Q(decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="deepening_plan_amount_not_negative",
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=0),
            ),
            models.CheckConstraint(
                name="deepening_plan_rejected_decided",
                condition=~Q(status="rejected") | (Q(decided_at__isnull=False) & ~Q(decision_note="")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deepening:plan_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in PlanStatus.editable()

    @property
    def requested_total(self) -> Decimal:
        lines = getattr(self, "_prefetched_objects_cache", {}).get("budget_lines")
        if lines is None:
            lines = self.budget_lines.all()
        return sum((line.amount for line in lines), Decimal("0.00"))


class PlanEnterprise(models.Model):
    """An enterprise in a plan with what the plan aims at for it. ``selected`` is the exchange's
    choice on approval (None until decided)."""

    plan = models.ForeignKey(
        DeepeningPlan, on_delete=models.CASCADE, related_name="enterprises", verbose_name=_("plan")
    )
    profile = models.ForeignKey(
        EnterpriseProfile, on_delete=models.PROTECT, related_name="plan_entries", verbose_name=_("enterprise")
    )
    objectives = models.TextField(_("objectives for this enterprise"))
    selected = models.BooleanField(_("selected by the exchange"), null=True, blank=True)

    class Meta:
        ordering = ["plan_id", "pk"]
        verbose_name = _("plan enterprise")
        verbose_name_plural = _("plan enterprises")
        constraints = [models.UniqueConstraint(fields=["plan", "profile"], name="deepening_plan_enterprise_once")]

    def __str__(self) -> str:
        return str(self.profile)


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training")
    SEMINAR = "seminar", _("Seminar")
    EXCHANGE = "exchange", _("Exchange / visit")
    CONSULTATION = "consultation", _("Special consultation")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class PlannedActivity(models.Model):
    plan = models.ForeignKey(DeepeningPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    plan_enterprise = models.ForeignKey(
        PlanEnterprise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("for enterprise"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    planned_date = models.DateField(_("planned date"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("progress"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    done_date = models.DateField(_("done on"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan_id", "planned_date", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.CheckConstraint(
                name="deepening_activity_done_reported",
                condition=~Q(status="done") | (Q(done_date__isnull=False) & Q(reported_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityEvidence(models.Model):
    activity = models.ForeignKey(
        PlannedActivity, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("activity")
    )
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))

    class Meta:
        ordering = ["activity_id", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return str(self.file)


class BudgetLine(models.Model):
    plan = models.ForeignKey(
        DeepeningPlan, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("plan")
    )
    item = models.CharField(pgettext_lazy("budget", "item"), max_length=200)
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan_id", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.CheckConstraint(name="deepening_budget_line_positive", condition=Q(amount__gt=0))]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


class PlanSubmission(models.Model):
    """One submission round; the review deadline runs on it. Returned rounds keep the comment."""

    plan = models.ForeignKey(
        DeepeningPlan, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_amount = models.DecimalField(_("requested (CNY)"), max_digits=14, decimal_places=2)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    return_comment = models.TextField(_("comments for revision"), blank=True)

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="deepening_submission_number")]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"

    def get_absolute_url(self) -> str:
        return self.plan.get_absolute_url()


class PlanEventKind(models.TextChoices):
    CREATED = "created", _("Plan drafted")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PROGRESS = "progress", _("Progress reported")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    PAYMENT = "payment", _("Payment recorded")


class PlanEvent(models.Model):
    """The plan's timeline as every party sees it (append-only)."""

    plan = models.ForeignKey(DeepeningPlan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=16, choices=PlanEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    # Progress steps name the planned activity, so a regulator's timeline can keep to the
    # enterprises of its region.
    activity = models.ForeignKey("PlannedActivity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["plan_id", "at", "pk"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class SupervisionNote(models.Model):
    """A regulator's (or the exchange's) supervision note on a plan. Append-only; read by staff
    and by regulators whose region the plan concerns, never by the member."""

    plan = models.ForeignKey(
        DeepeningPlan, on_delete=models.CASCADE, related_name="supervision_notes", verbose_name=_("plan")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    bureau = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bureau"),
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "created_at", "pk"]
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")

    def __str__(self) -> str:
        return self.body[:50]
