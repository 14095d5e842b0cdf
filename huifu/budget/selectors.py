"""Budget reads, scoped by the user. Figures are computed in the database (subquery
aggregates), so a list runs a constant number of queries whatever its length.

Staff read every pool and allocation; an organisation's users read only their own
allocations (with invoices and payments). Another organisation's allocation answers 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from huifu.accounts.predicates import is_staff_user

from .models import MONEY, ZERO, Allocation, BudgetPool, Invoice, Payment

_MONEY_FIELD = DecimalField(**MONEY)


def _sum(qs: QuerySet, field: str, group: str) -> Coalesce:
    sub = qs.values(group).annotate(s=Sum(field)).values("s")
    return Coalesce(Subquery(sub, output_field=_MONEY_FIELD), Value(ZERO), output_field=_MONEY_FIELD)


def with_pool_figures(qs: QuerySet[BudgetPool]) -> QuerySet[BudgetPool]:
    """Annotate ``committed``, ``paid``, ``remaining`` (CNY Decimals) on pools."""
    return qs.annotate(
        committed=_sum(Allocation.objects.filter(pool=OuterRef("pk")), "approved_amount", "pool"),
        paid=_sum(Payment.objects.filter(allocation__pool=OuterRef("pk")), "amount", "allocation__pool"),
    ).annotate(remaining=F("amount") - F("committed"))


def with_allocation_figures(qs: QuerySet[Allocation]) -> QuerySet[Allocation]:
    """Annotate ``paid``, ``invoiced`` and ``payable`` on allocations."""
    return qs.annotate(
        paid=_sum(Payment.objects.filter(allocation=OuterRef("pk")), "amount", "allocation"),
        invoiced=_sum(Invoice.objects.filter(allocation=OuterRef("pk")), "amount", "allocation"),
    ).annotate(payable=F("approved_amount") - F("paid"))


def pool_list(*, user: Any, year: int | None = None) -> QuerySet[BudgetPool]:
    if not is_staff_user(user):
        return BudgetPool.objects.none()
    qs = BudgetPool.objects.select_related("department")
    if year:
        qs = qs.filter(year=year)
    return with_pool_figures(qs).order_by("-year", "name")


def pool_get(*, user: Any, pool_id: int) -> BudgetPool:
    pool = pool_list(user=user).filter(pk=pool_id).first()
    if pool is None:
        raise Http404
    return pool


def pool_years() -> list[int]:
    return list(BudgetPool.objects.order_by("-year").values_list("year", flat=True).distinct())


def allocation_list(*, user: Any, pool: BudgetPool | None = None, year: int | None = None) -> QuerySet[Allocation]:
    """Allocations the user may read (staff: all; an organisation's users: their own)."""
    qs = Allocation.objects.select_related("pool", "organisation", "target_type")
    if not is_staff_user(user):
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return Allocation.objects.none()
        qs = qs.filter(organisation_id=user.organisation_id)
    if pool is not None:
        qs = qs.filter(pool=pool)
    if year:
        qs = qs.filter(pool__year=year)
    return with_allocation_figures(qs).order_by("-approved_at", "-pk")


def allocation_get(*, user: Any, allocation_id: int) -> Allocation:
    allocation = allocation_list(user=user).select_related("approved_by").filter(pk=allocation_id).first()
    if allocation is None:
        raise Http404
    return allocation


def allocation_invoices(allocation: Allocation) -> QuerySet[Invoice]:
    return allocation.invoices.select_related("file", "registered_by", "seller").order_by("issue_date", "pk")


def allocation_payments(allocation: Allocation) -> QuerySet[Payment]:
    return allocation.payments.select_related("recorded_by").order_by("paid_on", "pk")


def allocation_figures_for(target: Any) -> dict[str, Decimal] | None:
    """approved / invoiced / paid / payable of ``target``'s allocation, or None (for other apps' pages)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(target)
    allocation = with_allocation_figures(Allocation.objects.filter(target_type=ct, target_id=str(target.pk))).first()
    if allocation is None:
        return None
    return {
        "allocation": allocation,
        "approved": allocation.approved_amount,
        "invoiced": allocation.invoiced,
        "paid": allocation.paid,
        "payable": allocation.payable,
    }


def invoice_file_readable(user: Any, stored_file: Any) -> bool:
    """Files app hook: an invoice file is readable by the allocation's organisation (staff read all)."""
    if user.organisation_id is None:
        return False
    return Invoice.objects.filter(file=stored_file, allocation__organisation_id=user.organisation_id).exists()
