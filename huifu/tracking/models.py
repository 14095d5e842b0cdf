"""Tracked work: every stage that has an owner and a deadline (a feedback form, a visit letter,
a hotline follow-up, ...). Apps open a ``TrackedItem`` for their record through
``huifu.tracking.services`` and close it when the stage is done; this app keeps the clock,
the work queue, reminders and escalation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrackedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")

    @classmethod
    def open_group(cls) -> tuple[str, ...]:
        return (cls.OPEN, cls.PAUSED)

    @classmethod
    def terminal(cls) -> tuple[str, ...]:
        return (cls.DONE, cls.CANCELLED)


class DeadlineRule(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    CALENDAR_DAYS = "calendar_days", _("Calendar days")


class TrackedItem(models.Model):
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("link"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracked_items",
        verbose_name=_("organisation"),
    )
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracked_items",
        verbose_name=_("department"),
    )
    # Every department the item is assigned to (the lead ``department`` included): each one's
    # staff see the item in their queue. Kept in sync by ``tracked_open`` / ``tracked_assign``.
    departments = models.ManyToManyField(
        "directory.Department",
        blank=True,
        related_name="+",
        verbose_name=_("departments"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracked_items",
        verbose_name=_("owner"),
    )
    topic = models.CharField(_("topic"), max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=TrackedStatus.choices, default=TrackedStatus.OPEN)
    received_at = models.DateTimeField(_("received"))
    deadline_rule = models.CharField(_("deadline rule"), max_length=16, choices=DeadlineRule.choices)
    deadline_amount = models.PositiveIntegerField(_("deadline (days)"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    provisional = models.BooleanField(_("provisional due date"), default=False)
    warnings = models.JSONField(default=list, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = models.CharField(_("reason for pause"), max_length=500, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)
    paused_days_total = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("tracked item")
        verbose_name_plural = _("tracked items")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id", "kind"], name="tracking_one_item_per_target_kind"
            ),
            models.CheckConstraint(
                condition=Q(status="paused", paused_at__isnull=False)
                | (~Q(status="paused") & Q(paused_at__isnull=True)),
                name="tracking_paused_at_iff_paused",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["done", "cancelled"], done_at__isnull=False)
                | (Q(status__in=["open", "paused"]) & Q(done_at__isnull=True)),
                name="tracking_done_at_iff_terminal",
            ),
        ]
        indexes = [
            # By state (one part per status value, selectors.sorted_parts), then due date.
            models.Index(fields=["status", "due_at", "id"], name="tracking_status_due_id"),
            # By company (items without a company first), then due date (selectors.SORTS).
            models.Index(Coalesce(F("organisation_id"), Value(0)), F("due_at"), F("id"), name="tracking_org_due"),
            # The queue's default view (open or paused, earliest due first) reads this in order.
            models.Index(
                fields=["due_at", "id"], condition=Q(status__in=["open", "paused"]), name="tracking_active_due"
            ),
            models.Index(fields=["owner", "status", "due_at"], name="tracking_owner_status_due"),
            models.Index(fields=["department", "status", "due_at"], name="tracking_dept_status_due"),
            models.Index(fields=["target_type", "target_id"], name="tracking_target"),
            # Reports count "answered on time" per kind: an index-only read of the on-time targets.
            models.Index(
                fields=["target_type", "kind", "target_id"], condition=Q(on_time=True), name="tracking_on_time_target"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in TrackedStatus.open_group()

    @property
    def is_overdue(self) -> bool:
        if self.status == TrackedStatus.OPEN:
            return self.due_at < timezone.now()
        if self.status == TrackedStatus.DONE:
            return self.on_time is False
        return False


class TrackingPolicy(models.Model):
    """Reminder and escalation rules per kind, as data (``kind=""`` is the default for all kinds)."""

    kind = models.CharField(_("kind"), max_length=40, unique=True, blank=True)
    remind_before_working_days = models.PositiveSmallIntegerField(
        _("remind this many working days before due"), default=1
    )
    escalate_after_due = models.BooleanField(
        _("escalate to the department head and coordinator when overdue"), default=True
    )
    default_rule = models.CharField(_("default deadline rule"), max_length=16, choices=DeadlineRule.choices, blank=True)
    default_amount = models.PositiveIntegerField(_("default deadline (days)"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("tracking policy")
        verbose_name_plural = _("tracking policies")

    def __str__(self) -> str:
        return self.kind or "*"


class SavedQueueFilter(models.Model):
    """A user's named view of the work queue (the filters' query string), one click away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="tracking_saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One POST to a department's group robot; retried by a job until it succeeds or gives up."""

    department = models.ForeignKey("directory.Department", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=WebhookStatus.choices, default=WebhookStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="tracking_webhook_due")]

    def __str__(self) -> str:
        return f"{self.department_id} {self.status}"
