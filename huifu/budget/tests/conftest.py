"""Budget fixtures: pools and allocations built through the real services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huifu.budget.services import allocation_approve, pool_create
from huifu.core.testing.factories import OrganisationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "发票.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


@pytest.fixture
def pool(coordinator, dept_mm):
    return pool_create(year=2023, name="合作举办市场活动", amount="1000000.00", department=dept_mm, actor=coordinator)


@pytest.fixture
def make_allocation(pool, coordinator):
    """make_allocation(organisation, amount="100000.00") -> Allocation for a fresh target record."""

    def make(organisation, amount="100000.00", target=None):
        target = target or OrganisationFactory()
        return allocation_approve(
            pool=pool,
            target=target,
            organisation=organisation,
            amount=amount,
            requested_amount=Decimal(amount) + 1000,
            title=f"活动{target.pk}",
            actor=coordinator,
        )

    return make


@pytest.fixture
def alloc_a(make_allocation, org_a):
    return make_allocation(org_a)


@pytest.fixture
def alloc_b(make_allocation, org_b):
    return make_allocation(org_b)


def payment_kwargs(allocation, **overrides):
    data = {
        "payee_name": allocation.organisation.name_zh,
        "bank_name": "中国工商银行上海分行",
        "bank_account": "1001234567890123",
        "amount": "40000.00",
        "paid_on": YESTERDAY,
        "reference": "TRF20230601001",
    }
    data.update(overrides)
    return data
