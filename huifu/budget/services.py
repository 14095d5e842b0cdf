"""Budget writes: the named operations. Keyword-only, ``actor`` (None = the system), one
transaction and one audit entry each (storing an invoice file adds the files app's own entry).

Concurrency: every operation that checks money against a limit locks the row that holds the
limit first (the pool for approvals and adjustments, then the allocation for invoices and
payments; always in that order), so two requests racing for the last yuan are serialised and
the second one is refused.

    pool_create(*, year, name, amount, department, actor, payer_name=..., note="") -> BudgetPool
    pool_update(*, pool, actor, amount=None, name=None, status=None, note=None) -> BudgetPool
    allocation_approve(*, pool, target, organisation, amount, actor, requested_amount=None, title="") -> Allocation
    allocation_adjust(*, allocation, amount, actor, reason="") -> Allocation
    allocation_release(*, allocation, actor, reason) -> Allocation
    invoice_register(*, allocation, number, amount, issue_date, file, actor, buyer_name=None) -> Invoice
    payment_record(*, allocation, payee_name, bank_name, bank_account, amount, paid_on, reference, actor) -> Payment
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_transition, audit_update, snapshot
from huifu.core.permissions import require
from huifu.files import kinds
from huifu.files.services import file_store

from . import funding
from .models import ZERO, Allocation, AllocationStatus, BudgetPool, Invoice, Payment, PoolStatus, default_payer_name
from .money import clean_money, yuan

INVOICE_PURPOSE = "budget_invoice"
INVOICE_KINDS = (kinds.PDF, kinds.OFD, kinds.PNG, kinds.JPEG)
INVOICE_NUMBER_RE = re.compile(r"^[0-9A-Za-z-]{8,40}$")


class BudgetError(ValidationError):
    """A budget rule refused the operation (pool exhausted, over-payment, wrong state...).
    ``code`` is stable: pool_exhausted, pool_closed, already_allocated, below_committed,
    below_paid, not_active, duplicate_invoice, over_invoiced, over_payment."""

    def __init__(self, message: Any, code: str | None = None, params: Any = None) -> None:
        super().__init__(message, code=code, params=params)
        self.code = code


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "").replace("（", "(").replace("）", ")")


# --- Figures (inside the lock) ------------------------------------------------------------------


def pool_committed(pool: BudgetPool) -> Decimal:
    return Allocation.objects.filter(pool=pool).aggregate(s=Sum("approved_amount"))["s"] or ZERO


def allocation_paid(allocation: Allocation) -> Decimal:
    return Payment.objects.filter(allocation=allocation).aggregate(s=Sum("amount"))["s"] or ZERO


def allocation_invoiced(allocation: Allocation) -> Decimal:
    return Invoice.objects.filter(allocation=allocation).aggregate(s=Sum("amount"))["s"] or ZERO


# --- Pools ----------------------------------------------------------------------------------------


def pool_create(
    *,
    year: int,
    name: str,
    amount: Any,
    department: Any,
    actor: Any | None,
    payer_name: str = "",
    note: str = "",
) -> BudgetPool:
    """A new open pool. The pair (year, name) is unique."""
    require(actor, "budget.manage_pools")
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("A pool needs a name.")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if department is None:
        errors["department"] = _("Choose the owning department.")
    if errors:
        raise ValidationError(errors)
    value = clean_money(amount, allow_zero=True)
    pool = BudgetPool(
        year=year,
        name=name,
        amount=value,
        department=department,
        note=(note or "").strip(),
        payer_name=(payer_name or "").strip() or default_payer_name(),
    )
    try:
        with transaction.atomic():
            pool.save()
            audit_create(actor=actor, target=pool)
    except IntegrityError:
        raise ValidationError({"name": _("A pool with this name already exists for %(year)s.") % {"year": year}})
    return pool


def pool_update(
    *,
    pool: BudgetPool,
    actor: Any | None,
    amount: Any = None,
    name: str | None = None,
    status: str | None = None,
    note: str | None = None,
) -> BudgetPool:
    """Change a pool. The amount can never drop below what is already committed."""
    require(actor, "budget.manage_pools")
    with transaction.atomic():
        pool = BudgetPool.objects.select_for_update().get(pk=pool.pk)
        before = snapshot(pool, ["name", "amount", "status", "note"])
        if name is not None:
            if not name.strip():
                raise ValidationError({"name": _("A pool needs a name.")})
            pool.name = name.strip()
        if note is not None:
            pool.note = note.strip()
        if status is not None:
            if status not in PoolStatus.values:
                raise ValidationError({"status": _("Choose a status from the list.")})
            pool.status = status
        if amount is not None:
            value = clean_money(amount, allow_zero=True)
            committed = pool_committed(pool)
            if value < committed:
                raise BudgetError(
                    {
                        "amount": _("%(committed)s CNY is already committed; the pool cannot be smaller.")
                        % {"committed": yuan(committed)}
                    },
                    code="below_committed",
                )
            pool.amount = value
        try:
            with transaction.atomic():
                pool.save()
        except IntegrityError:
            raise ValidationError(
                {"name": _("A pool with this name already exists for %(year)s.") % {"year": pool.year}}
            )
        audit_update(actor=actor, target=pool, before=before)
    return pool


# --- Allocations ----------------------------------------------------------------------------------


def _refuse_over_pool(pool: BudgetPool, committed: Decimal, extra: Decimal) -> None:
    if committed + extra > pool.amount:
        remaining = pool.amount - committed
        raise BudgetError(
            {
                "amount": _(
                    "The pool “%(pool)s” has only %(remaining)s CNY left (%(committed)s of %(total)s committed); "
                    "%(amount)s CNY cannot be approved."
                )
                % {
                    "pool": str(pool),
                    "remaining": yuan(max(remaining, ZERO)),
                    "committed": yuan(committed),
                    "total": yuan(pool.amount),
                    "amount": yuan(extra),
                }
            },
            code="pool_exhausted",
        )


def allocation_approve(
    *,
    pool: BudgetPool,
    target: Any,
    organisation: Any,
    amount: Any,
    actor: Any | None,
    requested_amount: Any = None,
    title: str = "",
) -> Allocation:
    """Commit ``amount`` from ``pool`` to ``target`` (any model instance) for ``organisation``.

    Refused (BudgetError, code ``pool_exhausted``) when the pool's committed amount plus
    ``amount`` would exceed the pool, also when two approvals race (the pool row is locked);
    refused when the pool is closed or the target already has an allocation. Zero is allowed
    (a record approved without money)."""
    require(actor, "budget.approve_allocation")
    value = clean_money(amount, allow_zero=True)
    requested = clean_money(
        requested_amount if requested_amount is not None else value, field="requested_amount", allow_zero=True
    )
    ct = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        pool = BudgetPool.objects.select_for_update().get(pk=pool.pk)
        if pool.status != PoolStatus.OPEN:
            raise BudgetError({"pool": _("The pool “%(pool)s” is closed.") % {"pool": str(pool)}}, code="pool_closed")
        if Allocation.objects.filter(target_type=ct, target_id=str(target.pk)).exists():
            raise BudgetError(_("This record already has an allocation."), code="already_allocated")
        _refuse_over_pool(pool, pool_committed(pool), value)
        allocation = Allocation.objects.create(
            pool=pool,
            target_type=ct,
            target_id=str(target.pk),
            title=(title or str(target))[:300],
            organisation=organisation,
            requested_amount=requested,
            approved_amount=value,
            approved_by=actor if getattr(actor, "is_authenticated", False) else None,
            approved_at=timezone.now(),
        )
        audit_create(actor=actor, target=allocation, message=str(pool))
    return allocation


def _lock_pair(allocation: Allocation) -> tuple[BudgetPool, Allocation]:
    """Lock the pool, then the allocation (fixed order: no deadlocks between operations)."""
    pool = BudgetPool.objects.select_for_update().get(pk=allocation.pool_id)
    return pool, Allocation.objects.select_for_update().get(pk=allocation.pk)


def allocation_adjust(*, allocation: Allocation, amount: Any, actor: Any | None, reason: str = "") -> Allocation:
    """Change the approved amount: never below what is paid, never beyond the pool."""
    require(actor, "budget.manage_allocation", allocation)
    value = clean_money(amount, allow_zero=True)
    with transaction.atomic():
        pool, allocation = _lock_pair(allocation)
        if allocation.status != AllocationStatus.ACTIVE:
            raise BudgetError(_("A released allocation cannot be changed."), code="not_active")
        paid = allocation_paid(allocation)
        if value < paid:
            raise BudgetError(
                {
                    "amount": _("%(paid)s CNY has already been paid; the allocation cannot be smaller.")
                    % {"paid": yuan(paid)}
                },
                code="below_paid",
            )
        if value > allocation.approved_amount:
            _refuse_over_pool(pool, pool_committed(pool), value - allocation.approved_amount)
        before = snapshot(allocation, ["approved_amount"])
        allocation.approved_amount = value
        allocation.save(update_fields=["approved_amount"])
        audit_update(actor=actor, target=allocation, before=before, message=(reason or "")[:500])
    return allocation


def allocation_release(*, allocation: Allocation, actor: Any | None, reason: str) -> Allocation:
    """Close the allocation: its unpaid part returns to the pool. ``reason`` is required."""
    require(actor, "budget.manage_allocation", allocation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for releasing the allocation.")})
    return _release(allocation=allocation, actor=actor, reason=reason)


def allocation_release_for(*, target: Any, actor: Any | None, reason: str) -> Allocation | None:
    """Release the allocation of ``target`` if it has an active one (for apps closing a record
    early, e.g. a cancelled activity). Checks no permission: the calling service did."""
    ct = ContentType.objects.get_for_model(target)
    allocation = Allocation.objects.filter(target_type=ct, target_id=str(target.pk)).first()
    if allocation is None or allocation.status != AllocationStatus.ACTIVE:
        return allocation
    return _release(allocation=allocation, actor=actor, reason=reason or "-")


def _release(*, allocation: Allocation, actor: Any | None, reason: str) -> Allocation:
    with transaction.atomic():
        _pool, allocation = _lock_pair(allocation)
        if allocation.status != AllocationStatus.ACTIVE:
            raise BudgetError(_("This allocation has already been released."), code="not_active")
        paid = allocation_paid(allocation)
        released = allocation.approved_amount - paid
        allocation.approved_amount = paid
        allocation.status = AllocationStatus.RELEASED
        allocation.released_at = timezone.now()
        allocation.release_reason = reason[:500]
        allocation.save(update_fields=["approved_amount", "status", "released_at", "release_reason"])
        audit_transition(
            actor=actor,
            target=allocation,
            source=AllocationStatus.ACTIVE,
            target_state=allocation.status,
            message=_("%(amount)s CNY returned to the pool: %(reason)s") % {"amount": yuan(released), "reason": reason},
        )
    return allocation


def allocation_for(target: Any) -> Allocation | None:
    """The allocation of ``target`` (any model instance), or None."""
    ct = ContentType.objects.get_for_model(target)
    return Allocation.objects.select_related("pool").filter(target_type=ct, target_id=str(target.pk)).first()


# --- Invoices and payments ------------------------------------------------------------------------


def invoice_register(
    *,
    allocation: Allocation,
    number: str,
    amount: Any,
    issue_date: datetime.date,
    file: Any,
    actor: Any | None,
    buyer_name: str | None = None,
) -> Invoice:
    """Register the partner's invoice (PDF, OFD or image) against ``allocation``.

    Refused with a message naming the field: a number already registered anywhere in the
    system, a buyer other than the pool's payer (the exchange), an issue date in the future,
    or invoices adding up to more than the approved amount. Calls the funded record's
    ``on_invoice`` hook in the same transaction."""
    require(actor, "budget.register_invoice", allocation)
    errors: dict[str, str] = {}
    number = re.sub(r"\s+", "", number or "")
    if not INVOICE_NUMBER_RE.match(number):
        errors["number"] = _("Enter the invoice number as printed: 8 to 40 letters or digits.")
    if not isinstance(issue_date, datetime.date):
        errors["issue_date"] = _("Enter the issue date.")
    elif issue_date > timezone.localdate():
        errors["issue_date"] = _("The issue date cannot be in the future.")
    if file is None:
        errors["file"] = _("Attach the invoice (PDF, OFD or image).")
    if errors:
        raise ValidationError(errors)
    value = clean_money(amount)
    with transaction.atomic():
        pool, allocation = _lock_pair(allocation)
        if allocation.status != AllocationStatus.ACTIVE:
            raise BudgetError(_("This allocation has been released; no more invoices are accepted."), code="not_active")
        buyer = (buyer_name or "").strip() or pool.payer_name
        if _norm(buyer) != _norm(pool.payer_name):
            raise ValidationError(
                {"buyer_name": _("The buyer on the invoice must be “%(payer)s”.") % {"payer": pool.payer_name}}
            )
        if Invoice.objects.filter(number=number).exists():
            raise BudgetError(
                {"number": _("Invoice number %(number)s has already been registered.") % {"number": number}},
                code="duplicate_invoice",
            )
        invoiced = allocation_invoiced(allocation)
        if invoiced + value > allocation.approved_amount:
            raise BudgetError(
                {
                    "amount": _("Invoices would total %(total)s CNY, more than the approved %(approved)s CNY.")
                    % {"total": yuan(invoiced + value), "approved": yuan(allocation.approved_amount)}
                },
                code="over_invoiced",
            )
        stored = file_store(
            upload=file,
            actor=actor,
            organisation=allocation.organisation,
            purpose=INVOICE_PURPOSE,
            allowed_kinds=INVOICE_KINDS,
        )
        try:
            with transaction.atomic():
                invoice = Invoice.objects.create(
                    allocation=allocation,
                    number=number,
                    amount=value,
                    issue_date=issue_date,
                    buyer_name=buyer,
                    seller=allocation.organisation,
                    file=stored,
                    registered_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise BudgetError(
                {"number": _("Invoice number %(number)s has already been registered.") % {"number": number}},
                code="duplicate_invoice",
            )
        audit_create(actor=actor, target=invoice, message=allocation.title)
        hook = funding.funded_for(allocation.target_type.model_class()).on_invoice
        if hook is not None:
            hook(allocation.target, allocation, actor)
    return invoice


def payment_record(
    *,
    allocation: Allocation,
    payee_name: str,
    bank_name: str,
    bank_account: str,
    amount: Any,
    paid_on: datetime.date,
    reference: str,
    actor: Any | None,
) -> Payment:
    """Finance records a bank transfer to the partner's corporate account.

    The amount can never exceed the approved amount minus earlier payments (the allocation is
    locked, so two recordings racing cannot both pass). Calls the funded record's
    ``on_payment`` hook in the same transaction."""
    require(actor, "budget.record_payment", allocation)
    errors: dict[str, str] = {}
    payee_name, bank_name = (payee_name or "").strip(), (bank_name or "").strip()
    bank_account, reference = re.sub(r"\s+", "", bank_account or ""), (reference or "").strip()
    if not payee_name:
        errors["payee_name"] = _("Enter the payee (the partner's account name).")
    if not bank_name:
        errors["bank_name"] = _("Enter the bank.")
    if not re.fullmatch(r"[0-9-]{6,40}", bank_account):
        errors["bank_account"] = _("Enter the bank account number (digits only).")
    if not reference:
        errors["reference"] = _("Enter the bank reference of the transfer.")
    if not isinstance(paid_on, datetime.date):
        errors["paid_on"] = _("Enter the date of the transfer.")
    elif paid_on > timezone.localdate():
        errors["paid_on"] = _("The transfer date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    value = clean_money(amount)
    with transaction.atomic():
        _pool, allocation = _lock_pair(allocation)
        paid = allocation_paid(allocation)
        payable = allocation.approved_amount - paid
        if value > payable:
            raise BudgetError(
                {
                    "amount": _("At most %(payable)s CNY can still be paid (approved %(approved)s, paid %(paid)s).")
                    % {"payable": yuan(payable), "approved": yuan(allocation.approved_amount), "paid": yuan(paid)}
                },
                code="over_payment",
            )
        if allocation.organisation.name_zh and _norm(payee_name) != _norm(allocation.organisation.name_zh):
            raise ValidationError(
                {
                    "payee_name": _("Payments go to the partner's corporate account: the payee must be “%(name)s”.")
                    % {"name": allocation.organisation.name_zh}
                }
            )
        payment = Payment.objects.create(
            allocation=allocation,
            payee_name=payee_name,
            bank_name=bank_name,
            bank_account=bank_account,
            amount=value,
            paid_on=paid_on,
            reference=reference,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_create(actor=actor, target=payment, message=allocation.title)
        hook = funding.funded_for(allocation.target_type.model_class()).on_payment
        if hook is not None:
            hook(allocation.target, allocation, actor)
    return payment


__all__ = [
    "INVOICE_KINDS",
    "INVOICE_PURPOSE",
    "BudgetError",
    "allocation_adjust",
    "allocation_approve",
    "allocation_for",
    "allocation_paid",
    "allocation_release",
    "allocation_release_for",
    "invoice_register",
    "payment_record",
    "pool_committed",
    "pool_create",
    "pool_update",
]
