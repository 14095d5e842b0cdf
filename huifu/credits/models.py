"""Credit hours (学时) of practitioners of member companies.

* ``HourCategory``: the kinds of hours (法律法规与职业道德, 专业知识 …), staff-edited.
* ``CreditRule`` (+ ``CategoryMinimum``): the continuing-training rule as data, one row per year
  from which it applies (the rule in force for a window is the latest row whose ``year`` is not
  after the window's start). Seeded by migration with the China Futures Association's 2008 rule
  and flagged ``seed_unchecked`` until staff have checked it against the rule in force.
* ``SessionCredit`` (+ ``SessionHours``): the hours one events ``Session`` grants per category and
  how online attendance turns into hours (all or nothing at the session's attendance rule, or pro
  rata above it). Kept here, keyed to the session, so the events app is not changed.
* ``ExternalClaim``: hours from another provider, entered by the practitioner with evidence and
  decided by the member admin (or exchange staff).
* ``Deferral``: a written application to extend one two-year window by the rule's deferral.

Hours earned are never stored: ``services.hours_for`` reads them from attendance (events) and
approved claims each time, so a corrected attendance import or a changed grant shows at once.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

HOURS = {"max_digits": 5, "decimal_places": 1}


class HourCategory(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("hour category")
        verbose_name_plural = _("hour categories")

    def __str__(self) -> str:
        return self.name()

    def name(self, language: str | None = None) -> str:
        language = language or get_language() or "zh-hans"
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class CreditRule(models.Model):
    year = models.PositiveSmallIntegerField(
        _("applies from year"),
        unique=True,
        help_text=_("Windows starting in this year or later follow this rule, until a later rule."),
    )
    title = models.CharField(_("rule"), max_length=200)
    source = models.CharField(_("source"), max_length=300, blank=True)
    window_years = models.PositiveSmallIntegerField(_("window (years)"), default=2)
    min_hours = models.DecimalField(_("minimum hours per window"), **HOURS, validators=[MinValueValidator(0)])
    deferral_years = models.PositiveSmallIntegerField(_("deferral (years)"), default=1)
    seed_unchecked = models.BooleanField(
        _("seed value: check against the current rule"),
        default=False,
        help_text=_("Set on the values seeded from the published rule; clear it once checked."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("credit-hour rule")
        verbose_name_plural = _("credit-hour rules")
        constraints = [
            models.CheckConstraint(condition=Q(window_years__gte=1), name="credits_rule_window_positive"),
            models.CheckConstraint(condition=Q(min_hours__gte=0), name="credits_rule_min_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.title}"


class CategoryMinimum(models.Model):
    rule = models.ForeignKey(CreditRule, on_delete=models.CASCADE, related_name="minimums")
    category = models.ForeignKey(HourCategory, on_delete=models.PROTECT, related_name="+")
    min_hours = models.DecimalField(_("minimum hours"), **HOURS, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["category__sort_order", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "category"], name="credits_minimum_one_per_category"),
            models.CheckConstraint(condition=Q(min_hours__gte=0), name="credits_minimum_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category} ≥ {self.min_hours}"


class OnlineMode(models.TextChoices):
    THRESHOLD = "threshold", _("Full hours at the attendance rule's minimum share, none below")
    PRO_RATA = "pro_rata", _("Pro rata to the minutes present, none below the minimum share")


class SessionCredit(models.Model):
    session = models.OneToOneField(
        "events.Session",
        on_delete=models.PROTECT,
        related_name="credit",
        verbose_name=pgettext_lazy("event", "session"),
    )
    online_mode = models.CharField(
        _("online attendance"), max_length=10, choices=OnlineMode.choices, default=OnlineMode.THRESHOLD
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("session credit hours")
        verbose_name_plural = _("session credit hours")

    def __str__(self) -> str:
        return str(self.session)


class SessionHours(models.Model):
    credit = models.ForeignKey(SessionCredit, on_delete=models.CASCADE, related_name="hours")
    category = models.ForeignKey(HourCategory, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("hours"), **HOURS, validators=[MinValueValidator(Decimal("0.1"))])

    class Meta:
        ordering = ["category__sort_order", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["credit", "category"], name="credits_session_hours_one_per_category"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="credits_session_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.hours}"


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", pgettext_lazy("claim", "Approved")
    REFUSED = "refused", pgettext_lazy("claim", "Refused")

    @classmethod
    def live(cls) -> frozenset[str]:
        """Claims that count against a duplicate (a refused claim may be entered again)."""
        return frozenset({cls.SUBMITTED, cls.APPROVED})


class ExternalClaim(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_claims", verbose_name=_("practitioner")
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="credit_claims", verbose_name=_("company")
    )
    provider = models.CharField(_("training provider"), max_length=200)
    course_title = models.CharField(_("course"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    certificate_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    # The same course claimed twice is refused: provider, course and date, normalised.
    course_key = models.CharField(max_length=420, editable=False)
    category = models.ForeignKey(
        HourCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("hour category")
    )
    hours = models.DecimalField(_("hours"), **HOURS, validators=[MinValueValidator(Decimal("0.1"))])
    evidence = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("evidence")
    )
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices, default=ClaimState.SUBMITTED)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hours from another provider")
        verbose_name_plural = _("hours from other providers")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "certificate_no"],
                condition=Q(state__in=["submitted", "approved"]) & ~Q(certificate_no=""),
                name="credits_claim_certificate_once",
            ),
            models.UniqueConstraint(
                fields=["person", "course_key"],
                condition=Q(state__in=["submitted", "approved"]),
                name="credits_claim_course_once",
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="credits_claim_hours_positive"),
            models.CheckConstraint(
                condition=Q(state="submitted", decided_at__isnull=True)
                | (~Q(state="submitted") & Q(decided_at__isnull=False)),
                name="credits_claim_decided_iff_not_submitted",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(decision_reason=""), name="credits_claim_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course_title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credits:claim", args=[self.pk])


class DeferralState(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting decision")
    APPROVED = "approved", pgettext_lazy("claim", "Approved")
    REFUSED = "refused", pgettext_lazy("claim", "Refused")


class Deferral(models.Model):
    """A written application to extend the window that starts on ``window_start`` by the rule's
    deferral (one year in the 2008 rule). Approved, the window ends later and the next one starts
    the day after the extended end."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="credit_deferrals",
        verbose_name=_("practitioner"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="credit_deferrals", verbose_name=_("company")
    )
    window_start = models.DateField(_("window starts"))
    reason = models.TextField(_("reason for the deferral"))
    evidence = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("written application")
    )
    state = models.CharField(_("state"), max_length=10, choices=DeferralState.choices, default=DeferralState.SUBMITTED)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deferral")
        verbose_name_plural = _("deferrals")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "window_start"],
                condition=Q(state__in=["submitted", "approved"]),
                name="credits_deferral_once_per_window",
            ),
            models.CheckConstraint(
                condition=Q(state="submitted", decided_at__isnull=True)
                | (~Q(state="submitted") & Q(decided_at__isnull=False)),
                name="credits_deferral_decided_iff_not_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.window_start:%Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("credits:deferral", args=[self.pk])


def first_day(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)
