"""Co-hosted market activities (合作举办市场活动).

A member or an industry association applies to hold an activity of a yearly ``ActivityType``
(forum, investor report meeting, salon, campus, research visit, live stream, special — a
campus activity also names its ``university``: member-initiated campus activities of the
university programme, same flow and same budget pool); the
exchange reviews it (returning it for revision if needed), approves an amount from a budget
pool (``huifu.budget``) or rejects it; the partner holds it and submits a summary; staff review
the summary; the partner registers invoices and Finance pays (both on the budget allocation).

Workflow (``TRANSITIONS``)::

    draft ─submit─▶ submitted ─return─▶ returned ─resubmit─▶ submitted
                    submitted ─approve─▶ approved ─held─▶ held ─summary─▶ summary_submitted
                    submitted ─reject─▶ rejected (terminal)
    summary_submitted ─return─▶ summary_returned ─summary─▶ summary_submitted
    summary_submitted ─accept─▶ summary_accepted ─first invoice─▶ invoiced ─fully paid─▶ paid ─close─▶ closed

Every move is written by ``huifu.activities.services`` as an ``ActivityStep`` (the timeline:
who, when, from, to, comment) plus one audit entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from huifu.budget.models import MONEY


class ActivityKind(models.TextChoices):
    FORUM = "forum", _("Forum")
    INVESTOR_REPORT = "investor_report", _("Investor report meeting")
    SALON = "salon", _("Small industry salon")
    CAMPUS = "campus", _("Campus talent cultivation")
    RESEARCH = "research", _("Research visit")
    LIVE_STREAM = "live_stream", _("Online live stream")
    SPECIAL = "special", _("Special activity")


class AudienceKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry clients")
    INSTITUTIONS = "institutions", _("Institutional investors")
    INDIVIDUALS = "individuals", _("Individual investors")
    STUDENTS = "students", _("Students")
    OTHERS = "others", _("Others")


# Fields an activity type may require (names of Activity fields, plus budget_lines).
REQUIRABLE_FIELDS = {
    "theme": _("theme"),
    "plan": pgettext_lazy("activity", "plan"),
    "venue": _("venue"),
    "co_organisers": _("co-organisers"),
    "speakers": _("speakers"),
    "audience_expected": _("expected audience"),
    "budget_lines": _("budget lines"),
}


class ActivityType(models.Model):
    """A kind of activity for one year, with its rules (configured by staff, never code)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    priority_themes = models.JSONField(_("priority themes"), default=list, blank=True)
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)
    cap_per_activity = models.DecimalField(_("cap per activity (CNY)"), **MONEY)
    line_caps = models.JSONField(
        _("caps per budget line"),
        default=dict,
        blank=True,
        help_text=_('Budget item name → cap in CNY, e.g. {"场地费": "50000.00"}.'),
    )
    is_active = models.BooleanField(_("open for applications"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["-year", "sort_order", "pk"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="activities_type_unique_year_name"),
            models.CheckConstraint(condition=Q(cap_per_activity__gte=0), name="activities_type_cap_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The English name for a reader in English when there is one, else the Chinese name
        (as ``huifu.directory.models.localized_name`` does for organisations)."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name

    @property
    def is_campus(self) -> bool:
        return self.kind == ActivityKind.CAMPUS


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    HELD = "held", pgettext_lazy("activity", "Held")
    SUMMARY_SUBMITTED = "summary_submitted", _("Summary submitted")
    SUMMARY_RETURNED = "summary_returned", _("Summary returned")
    SUMMARY_ACCEPTED = "summary_accepted", _("Summary accepted")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")
    CLOSED = "closed", pgettext_lazy("project", "Closed")

    @classmethod
    def editable(cls) -> frozenset[str]:
        return frozenset({cls.DRAFT, cls.RETURNED})

    @classmethod
    def summary_editable(cls) -> frozenset[str]:
        return frozenset({cls.HELD, cls.SUMMARY_RETURNED})

    @classmethod
    def finished(cls) -> frozenset[str]:
        """Held and accounted for: such an activity may be written up as a case."""
        return frozenset({cls.SUMMARY_ACCEPTED, cls.INVOICED, cls.PAID, cls.CLOSED})

    @classmethod
    def funded(cls) -> frozenset[str]:
        """States in which the activity has an allocation."""
        return frozenset(
            {
                cls.APPROVED,
                cls.HELD,
                cls.SUMMARY_SUBMITTED,
                cls.SUMMARY_RETURNED,
                cls.SUMMARY_ACCEPTED,
                cls.INVOICED,
                cls.PAID,
                cls.CLOSED,
            }
        )

    @classmethod
    def terminal(cls) -> frozenset[str]:
        return frozenset({cls.REJECTED, cls.CLOSED})


S = ActivityStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.RETURNED, S.APPROVED, S.REJECTED}),
    S.RETURNED: frozenset({S.SUBMITTED}),
    S.APPROVED: frozenset({S.HELD}),
    S.REJECTED: frozenset(),
    S.HELD: frozenset({S.SUMMARY_SUBMITTED}),
    S.SUMMARY_SUBMITTED: frozenset({S.SUMMARY_RETURNED, S.SUMMARY_ACCEPTED}),
    S.SUMMARY_RETURNED: frozenset({S.SUMMARY_SUBMITTED}),
    S.SUMMARY_ACCEPTED: frozenset({S.INVOICED}),
    S.INVOICED: frozenset({S.PAID}),
    S.PAID: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}


class Activity(models.Model):
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="activities", verbose_name=_("organiser")
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applicant")
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("activity type")
    )
    title = models.CharField(_("title"), max_length=200)
    # Campus activities (type kind "campus", 校园活动 initiated by a member): the university
    # where it is held. Required to submit one; empty for every other kind.
    university = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campus_activities",
        limit_choices_to={"kind": "university"},
        verbose_name=_("university"),
    )
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    plan = models.TextField(pgettext_lazy("activity", "plan"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    audience_expected = models.JSONField(_("expected audience"), default=dict, blank=True)
    co_organisers = models.TextField(_("co-organisers"), blank=True)
    speakers = models.TextField(_("speakers"), blank=True)
    requested_amount = models.DecimalField(_("requested amount"), default=0, **MONEY)
    approved_amount = models.DecimalField(_("approved amount"), null=True, blank=True, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT, db_index=True
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Close-out (summary)
    actual_attendance = models.JSONField(_("actual attendance"), default=dict, blank=True)
    summary = models.TextField(pgettext_lazy("activity", "summary"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    media_links = models.TextField(_("media links"), blank=True, help_text=_("One link per line."))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("co-hosted activity")
        verbose_name_plural = _("co-hosted activities")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="activities_dates_ordered"),
            models.CheckConstraint(
                condition=Q(status__in=sorted(ActivityStatus.funded()), approved_amount__isnull=False)
                | (~Q(status__in=sorted(ActivityStatus.funded())) & Q(approved_amount__isnull=True)),
                name="activities_approved_amount_iff_funded",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="activities_rejected_has_reason"
            ),
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="activities_requested_nonnegative"),
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="activities_org_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    @property
    def year(self) -> int:
        return self.activity_type.year


class BudgetLine(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(pgettext_lazy("budget", "item"), max_length=100)
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="activities_line_positive")]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"


class FileRole(models.TextChoices):
    PHOTO = "photo", _("Photo")
    AGENDA = "agenda", _("Agenda")
    MATERIAL = "material", _("Material")


class ActivityFile(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("kind"), max_length=16, choices=FileRole.choices)
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.file_id}"


class ActivityStep(models.Model):
    """One line of the timeline: a status change or a review comment, with actor and time."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=20, choices=ActivityStatus.choices, blank=True)
    target = models.CharField(max_length=20, choices=ActivityStatus.choices, blank=True)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.source}→{self.target}"


class ActivityGuideline(models.Model):
    """The year's guideline (指引), published as a notice of category guideline."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.ForeignKey("notices.Notice", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
