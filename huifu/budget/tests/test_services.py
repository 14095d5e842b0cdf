from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from huifu.audit.models import AuditEvent
from huifu.budget import funding
from huifu.budget.models import Allocation, AllocationStatus, BudgetPool, Invoice, Payment
from huifu.budget.services import (
    BudgetError,
    allocation_adjust,
    allocation_approve,
    allocation_release,
    invoice_register,
    payment_record,
    pool_create,
    pool_update,
)
from huifu.core.testing.factories import OrganisationFactory
from huifu.directory.models import Organisation

from .conftest import YESTERDAY, payment_kwargs, pdf_upload


def test_pool_create_writes_one_audit_entry(coordinator, dept_mm):
    pool = pool_create(year=2023, name="预算", amount="5000000", department=dept_mm, actor=coordinator)
    assert pool.amount == Decimal("5000000.00")
    assert AuditEvent.objects.filter(target_id=str(pool.pk), target_type__model="budgetpool").count() == 1


def test_pool_create_refuses_duplicates_and_bad_money(coordinator, dept_mm, pool):
    with pytest.raises(ValidationError) as exc:
        pool_create(year=2023, name="合作举办市场活动", amount="1", department=dept_mm, actor=coordinator)
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        pool_create(year=2023, name="x", amount="1.234", department=dept_mm, actor=coordinator)
    assert "amount" in exc.value.message_dict
    assert BudgetPool.objects.count() == 1


def test_only_coordinator_or_finance_manage_pools(dept_staff, member_a_admin, finance_user, dept_mm):
    for user in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            pool_create(year=2023, name="x", amount="1", department=dept_mm, actor=user)
    assert pool_create(year=2023, name="x", amount="1", department=dept_mm, actor=finance_user).pk


def test_approve_commits_and_pool_shrink_below_committed_refused(pool, alloc_a, coordinator):
    assert alloc_a.approved_amount == Decimal("100000.00")
    assert alloc_a.requested_amount == Decimal("101000.00")
    with pytest.raises(BudgetError) as exc:
        pool_update(pool=pool, amount="99999.99", actor=coordinator)
    assert "100,000.00" in exc.value.message_dict["amount"][0]
    pool_update(pool=pool, amount="100000.00", actor=coordinator)


def test_pool_exhaustion_is_refused_with_remaining_named(pool, make_allocation, org_a, org_b):
    make_allocation(org_a, amount="999000.00")
    with pytest.raises(BudgetError) as exc:
        make_allocation(org_b, amount="1000.01")
    assert exc.value.code == "pool_exhausted"
    assert "1,000.00" in exc.value.message_dict["amount"][0]
    assert Allocation.objects.count() == 1
    assert make_allocation(org_b, amount="1000.00").approved_amount == Decimal("1000.00")


def test_one_allocation_per_target_and_closed_pool(pool, coordinator, org_a):
    target = OrganisationFactory()
    allocation_approve(pool=pool, target=target, organisation=org_a, amount="10", actor=coordinator)
    with pytest.raises(BudgetError) as exc:
        allocation_approve(pool=pool, target=target, organisation=org_a, amount="10", actor=coordinator)
    assert exc.value.code == "already_allocated"
    pool_update(pool=pool, status="closed", actor=coordinator)
    with pytest.raises(BudgetError) as exc:
        allocation_approve(pool=pool, target=OrganisationFactory(), organisation=org_a, amount="1", actor=coordinator)
    assert exc.value.code == "pool_closed"


def test_members_cannot_approve(pool, member_a_admin, org_a):
    with pytest.raises(PermissionDenied):
        allocation_approve(
            pool=pool, target=OrganisationFactory(), organisation=org_a, amount="1", actor=member_a_admin
        )
    assert Allocation.objects.count() == 0


def test_adjust_and_release(pool, alloc_a, make_allocation, org_b, coordinator, finance_user):
    allocation_adjust(allocation=alloc_a, amount="50000", actor=coordinator)
    payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, amount="20000"))
    with pytest.raises(BudgetError) as exc:
        allocation_adjust(allocation=alloc_a, amount="19999.99", actor=coordinator)
    assert exc.value.code == "below_paid"
    make_allocation(org_b, amount="950000")
    with pytest.raises(BudgetError) as exc:
        allocation_adjust(allocation=alloc_a, amount="50000.01", actor=coordinator)
    assert exc.value.code == "pool_exhausted"
    with pytest.raises(ValidationError):
        allocation_release(allocation=alloc_a, actor=coordinator, reason=" ")
    released = allocation_release(allocation=alloc_a, actor=coordinator, reason="活动取消")
    assert released.status == AllocationStatus.RELEASED
    assert released.approved_amount == Decimal("20000.00")
    with pytest.raises(BudgetError):
        allocation_release(allocation=alloc_a, actor=coordinator, reason="again")


def test_invoice_register_and_duplicate_number_refused(alloc_a, alloc_b, member_a_admin, member_b_admin):
    invoice = invoice_register(
        allocation=alloc_a,
        number="31000023110012345678",
        amount="60000",
        issue_date=YESTERDAY,
        file=pdf_upload(),
        actor=member_a_admin,
    )
    assert invoice.buyer_name == "上海期货交易所"
    assert invoice.file.organisation_id == alloc_a.organisation_id
    with pytest.raises(BudgetError) as exc:
        invoice_register(
            allocation=alloc_b,
            number="31000023110012345678",
            amount="1",
            issue_date=YESTERDAY,
            file=pdf_upload(),
            actor=member_b_admin,
        )
    assert exc.value.code == "duplicate_invoice"
    assert "31000023110012345678" in exc.value.message_dict["number"][0]
    assert Invoice.objects.count() == 1


def test_invoice_checks_buyer_total_kind_and_owner(alloc_a, member_a_admin, member_b_admin):
    with pytest.raises(ValidationError) as exc:
        invoice_register(
            allocation=alloc_a,
            number="12345678",
            amount="1",
            issue_date=YESTERDAY,
            file=pdf_upload(),
            buyer_name="甲期货有限公司",
            actor=member_a_admin,
        )
    assert "buyer_name" in exc.value.message_dict
    with pytest.raises(BudgetError) as exc:
        invoice_register(
            allocation=alloc_a,
            number="12345678",
            amount="100000.01",
            issue_date=YESTERDAY,
            file=pdf_upload(),
            actor=member_a_admin,
        )
    assert exc.value.code == "over_invoiced"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        invoice_register(
            allocation=alloc_a,
            number="12345678",
            amount="1",
            issue_date=YESTERDAY,
            file=SimpleUploadedFile("a.pdf", b"not a pdf at all"),
            actor=member_a_admin,
        )
    with pytest.raises(PermissionDenied):
        invoice_register(
            allocation=alloc_a,
            number="12345678",
            amount="1",
            issue_date=YESTERDAY,
            file=pdf_upload(),
            actor=member_b_admin,
        )
    assert Invoice.objects.count() == 0


def test_payment_never_exceeds_approved_minus_paid(alloc_a, finance_user):
    payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, amount="60000"))
    with pytest.raises(BudgetError) as exc:
        payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, amount="40000.01"))
    assert exc.value.code == "over_payment"
    assert "40,000.00" in exc.value.message_dict["amount"][0]
    payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, amount="40000"))
    assert Payment.objects.filter(allocation=alloc_a).count() == 2


def test_payment_only_by_finance_to_the_partner(alloc_a, coordinator, member_a_admin, finance_user):
    for user in (coordinator, member_a_admin):
        with pytest.raises(PermissionDenied):
            payment_record(allocation=alloc_a, actor=user, **payment_kwargs(alloc_a))
    with pytest.raises(ValidationError) as exc:
        payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, payee_name="张三"))
    assert "payee_name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, amount="-5"))
    assert "amount" in exc.value.message_dict
    assert Payment.objects.count() == 0


def test_hooks_run_in_the_same_transaction(alloc_a, finance_user):
    calls = []

    def failing(target, allocation, actor):
        calls.append(target)
        raise ValidationError("refused by the funded app")

    funding.register(Organisation, funding.Funded(on_payment=failing))
    try:
        with pytest.raises(ValidationError):
            payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a))
    finally:
        funding.register(Organisation, funding.Funded())
    assert calls and isinstance(calls[0], Organisation)
    assert Payment.objects.count() == 0
