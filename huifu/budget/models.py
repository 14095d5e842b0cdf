"""Budget pools (预算池) and the money that flows out of them.

A yearly ``BudgetPool`` is owned by a department. Approving a funded record (a co-hosted
activity, an enterprise deep-cultivation plan, ...) creates one ``Allocation`` from the pool
for the partner organisation. The partner registers ``Invoice`` s against the allocation;
Finance records ``Payment`` s (bank transfers). Figures:

    committed = sum of the approved amounts of the pool's allocations
    paid      = sum of the payments on them
    remaining = pool amount - committed

Only ``huifu.budget.services`` writes these rows; the invariants that the database can hold
(non-negative money, unique invoice numbers, one allocation per funded record) are constraints.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")


def default_payer_name() -> str:
    """Invoices are made out to the exchange: its full name, from the identity (data)."""
    from huifu.core.identity import exchange

    return exchange().name_zh


class PoolStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("pool", "Open")
    CLOSED = "closed", pgettext_lazy("pool", "Closed")


class BudgetPool(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    department = models.ForeignKey(
        "directory.Department",
        on_delete=models.PROTECT,
        related_name="budget_pools",
        verbose_name=_("owning department"),
    )
    payer_name = models.CharField(
        _("invoice buyer"),
        max_length=200,
        default=default_payer_name,
        help_text=_("Invoices against this pool must name this buyer (the exchange)."),
    )
    status = models.CharField(_("status"), max_length=16, choices=PoolStatus.choices, default=PoolStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("budget pool")
        verbose_name_plural = _("budget pools")
        constraints = [
            models.UniqueConstraint(fields=["year", "name"], name="budget_pool_unique_year_name"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_pool_amount_nonnegative"),
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="budget_pool_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("budget:pool_detail", args=[self.pk])


class AllocationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RELEASED = "released", _("Released")


class Allocation(models.Model):
    """Money set aside in a pool for one funded record (``target``) and its partner organisation.

    ``approved_amount`` is what the pool has committed; releasing an allocation lowers it to
    what has been paid, so the rest returns to the pool."""

    pool = models.ForeignKey(BudgetPool, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("pool"))
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    target = GenericForeignKey("target_type", "target_id")
    title = models.CharField(_("funded record"), max_length=300)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="budget_allocations",
        verbose_name=_("partner"),
    )
    requested_amount = models.DecimalField(_("requested amount"), **MONEY)
    approved_amount = models.DecimalField(_("approved amount"), **MONEY)
    status = models.CharField(
        _("status"), max_length=16, choices=AllocationStatus.choices, default=AllocationStatus.ACTIVE
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"))
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=500, blank=True)

    class Meta:
        ordering = ["-approved_at", "-pk"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id"], name="budget_one_allocation_per_target"),
            models.CheckConstraint(
                condition=Q(approved_amount__gte=0) & Q(requested_amount__gte=0), name="budget_allocation_nonnegative"
            ),
            models.CheckConstraint(
                condition=(Q(status="released") & Q(released_at__isnull=False))
                | (Q(status="active") & Q(released_at__isnull=True)),
                name="budget_allocation_released_at_iff_released",
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="budget_alloc_target")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budget:allocation_detail", args=[self.pk])


class Invoice(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(_("invoice number"), max_length=40)
    amount = models.DecimalField(_("amount"), **MONEY)
    issue_date = models.DateField(_("issue date"))
    buyer_name = models.CharField(_("buyer"), max_length=200)
    seller = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("seller")
    )
    file = models.ForeignKey("files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["issue_date", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                name="budget_invoice_unique_number",
                violation_error_message=_("This invoice number has already been registered."),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_invoice_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class Payment(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="payments")
    payee_name = models.CharField(_("payee"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200)
    bank_account = models.CharField(_("bank account"), max_length=40)
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("bank reference"), max_length=80)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="budget_payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.reference} {self.amount}"
