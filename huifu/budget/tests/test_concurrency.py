"""Two requests racing for the last budget / the last payable yuan. On PostgreSQL the two run in
parallel threads, each with its own connection; on SQLite (one in-memory database, no row
locks) they run one after the other, which checks the same rule without the race."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from huifu.budget.models import Allocation, BudgetPool, Payment
from huifu.budget.services import allocation_approve, payment_record, pool_create
from huifu.core.testing.concurrency import race
from huifu.core.testing.factories import OrganisationFactory

from .conftest import payment_kwargs

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_approvals_race_for_the_last_budget(coordinator, dept_head, dept_mm, org_a, org_b):
    pool = pool_create(year=2023, name="race", amount="100000.00", department=dept_mm, actor=coordinator)
    t1, t2 = OrganisationFactory(), OrganisationFactory()

    results = race(
        lambda: allocation_approve(pool=pool, target=t1, organisation=org_a, amount="60000", actor=coordinator),
        lambda: allocation_approve(pool=pool, target=t2, organisation=org_b, amount="60000", actor=dept_head),
    )

    approved = [r for r in results if isinstance(r, Allocation)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(approved) == 1 and len(refused) == 1, results
    assert refused[0].code == "pool_exhausted"
    assert Allocation.objects.filter(pool=pool).count() == 1
    assert sum(a.approved_amount for a in Allocation.objects.filter(pool=pool)) <= BudgetPool.objects.get().amount


def test_two_payments_race_for_the_last_payable_amount(coordinator, finance_user, dept_mm, org_a):
    pool = pool_create(year=2023, name="race", amount="100000.00", department=dept_mm, actor=coordinator)
    allocation = allocation_approve(
        pool=pool, target=OrganisationFactory(), organisation=org_a, amount="50000", actor=coordinator
    )

    results = race(
        lambda: payment_record(
            allocation=allocation, actor=finance_user, **payment_kwargs(allocation, amount="30000", reference="A1")
        ),
        lambda: payment_record(
            allocation=allocation, actor=finance_user, **payment_kwargs(allocation, amount="30000", reference="B2")
        ),
    )

    assert sum(isinstance(r, Payment) for r in results) == 1, results
    assert [r.code for r in results if isinstance(r, ValidationError)] == ["over_payment"]
    assert sum(p.amount for p in Payment.objects.all()) == Decimal("30000.00")
