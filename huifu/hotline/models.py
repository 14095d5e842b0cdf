"""The Market Service Center hotline (MSC热线): the number shown to users, kept as data with its
history, and the calls staff log. A call that needs a follow-up opens a tracked item
(``huifu.tracking``, kind ``hotline_followup``) with the deadline of the setting in force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HotlineSetting(models.Model):
    """One row per change of the hotline: the row with the latest ``effective_from`` not after
    today is in force; a row with a later date announces the next number (the seed's footnote:
    an 800 number now, a 400 number later)."""

    number = models.CharField(_("hotline number"), max_length=40)
    effective_from = models.DateField(_("effective from"), unique=True)
    follow_up_working_days = models.PositiveSmallIntegerField(
        _("follow-up deadline (working days)"),
        default=2,
        help_text=_("A call needing a follow-up must be followed up within this many working days."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("hotline setting")
        verbose_name_plural = _("hotline settings")
        constraints = [
            models.CheckConstraint(
                name="hotline_setting_follow_up_days_range",
                condition=Q(follow_up_working_days__gte=1) & Q(follow_up_working_days__lte=60),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.effective_from:%Y-%m-%d})"


class CallTopic(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership and accounts")
    TRADING = "trading", _("Trading and rules")
    DELIVERY = "delivery", _("Delivery and warehouses")
    FEES = "fees", _("Fees and fee reductions")
    PROGRAMMES = "programmes", _("Service programmes")
    EDUCATION = "education", _("Investor education")
    TECHNICAL = "technical", _("Technical systems")
    FEEDBACK = "feedback", _("Member Voice feedback")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    NONE = "none", _("No follow-up needed")
    OPEN = "open", _("Follow-up open")
    DONE = "done", _("Followed up")


class HotlineCall(models.Model):
    received_at = models.DateTimeField(_("call time"), db_index=True)
    caller_name = models.CharField(_("caller"), max_length=80)
    caller_phone = models.CharField(_("caller's phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_calls",
        verbose_name=_("company"),
    )
    company_name = models.CharField(
        _("company (as told)"), max_length=200, blank=True, help_text=_("When the company is not in the directory.")
    )
    topic = models.CharField(
        pgettext_lazy("call", "topic"), max_length=20, choices=CallTopic.choices, default=CallTopic.OTHER
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer given"), blank=True)
    follow_up_status = models.CharField(
        _("follow-up"), max_length=8, choices=FollowUpStatus.choices, default=FollowUpStatus.NONE, db_index=True
    )
    follow_up_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_follow_ups",
        verbose_name=_("follow-up owner"),
    )
    follow_up_department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_follow_ups",
        verbose_name=_("follow-up department"),
    )
    follow_up_note = models.TextField(_("follow-up result"), blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("hotline call")
        verbose_name_plural = _("hotline calls")
        constraints = [
            models.CheckConstraint(
                name="hotline_follow_up_has_someone",
                condition=Q(follow_up_status="none")
                | Q(follow_up_owner__isnull=False)
                | Q(follow_up_department__isnull=False),
                violation_error_message=_("A follow-up has an owner or a department."),
            ),
            models.CheckConstraint(
                name="hotline_followed_up_at_iff_done",
                condition=(Q(follow_up_status="done") & Q(followed_up_at__isnull=False))
                | (~Q(follow_up_status="done") & Q(followed_up_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="hotline_follow_up_status_valid", condition=Q(follow_up_status__in=["none", "open", "done"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caller_name} · {self.received_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("hotline:detail", args=[self.pk])

    @property
    def company_label(self) -> str:
        return self.organisation.name_zh if self.organisation_id else self.company_name
