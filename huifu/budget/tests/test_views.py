"""Budget pages and API: the permission matrix both ways, partner isolation (pages, API, files,
exports), forms that show errors next to fields, constant queries on lists."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huifu.budget.models import BudgetPool, Invoice, Payment
from huifu.budget.services import invoice_register
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login

from .conftest import YESTERDAY, payment_kwargs, pdf_upload


@pytest.fixture
def people(coordinator, finance_user, dept_staff, member_a_admin, member_b_admin, partner_user, regulator, public_user):
    return locals()


def test_pool_pages_staff_only(client, pool, people):
    for url in (reverse("budget:pool_list"), reverse("budget:pool_detail", args=[pool.pk])):
        for name in ("coordinator", "finance_user", "dept_staff"):
            assert_allowed(client, people[name], url)
        for name in ("member_a_admin", "partner_user", "regulator", "public_user"):
            assert_denied(client, people[name], url)
        assert_denied(client, None, url)


def test_pool_create_by_manager_only(client, people, dept_mm):
    url = reverse("budget:pool_create")
    data = {"year": 2024, "name": "2024池", "amount": "100.00", "department": dept_mm.pk}
    for name in ("dept_staff", "member_a_admin", "partner_user"):
        assert_denied(client, people[name], url, "post", data)
    assert not BudgetPool.objects.exists()
    assert_allowed(client, people["finance_user"], url, "post", data, ok=(302,))
    assert BudgetPool.objects.get().amount == Decimal("100.00")


def test_pool_form_shows_money_error_next_to_field(client, coordinator, dept_mm):
    login(client, coordinator)
    response = client.post(
        reverse("budget:pool_create"), {"year": 2024, "name": "x", "amount": "1.005", "department": dept_mm.pk}
    )
    assert response.status_code == 200
    assert "amount" in response.context["form"].errors
    assert not BudgetPool.objects.exists()


def test_pool_detail_shows_figures(client, coordinator, pool, alloc_a, finance_user):
    from huifu.budget.services import payment_record

    payment_record(allocation=alloc_a, actor=finance_user, **payment_kwargs(alloc_a, amount="40000"))
    login(client, coordinator)
    page = client.get(reverse("budget:pool_detail", args=[pool.pk])).content.decode()
    assert "100,000.00" in page and "40,000.00" in page and "900,000.00" in page


def test_allocation_isolation_pages(client, alloc_a, alloc_b, people):
    url_a = reverse("budget:allocation_detail", args=[alloc_a.pk])
    assert_allowed(client, people["member_a_admin"], url_a)
    assert_allowed(client, people["dept_staff"], url_a)
    assert_denied(client, people["member_b_admin"], url_a, codes=(404,))
    assert_denied(client, people["partner_user"], url_a, codes=(404,))
    assert_denied(client, people["public_user"], url_a)
    login(client, people["member_a_admin"])
    listing = client.get(reverse("budget:allocation_list")).content.decode()
    assert alloc_a.title in listing and alloc_b.title not in listing


def test_invoice_upload_by_partner_and_denied_to_others(client, alloc_a, people):
    url = reverse("budget:invoice_add", args=[alloc_a.pk])

    def data(number):
        return {
            "number": number,
            "amount": "50000.00",
            "issue_date": YESTERDAY.isoformat(),
            "buyer_name": "上海期货交易所",
            "file": pdf_upload(),
        }

    assert_denied(client, people["member_b_admin"], url, "post", data("11111111"), codes=(404,))
    assert_denied(client, people["dept_staff"], url, "post", data("11111112"), codes=(403,))
    assert not Invoice.objects.exists()
    assert_allowed(client, people["member_a_admin"], url, "post", data("11111113"), ok=(302,))
    response = assert_allowed(client, people["member_a_admin"], url, "post", data("11111113"), ok=(400,))
    assert "11111113" in str(response.context["invoice_form"].errors["number"])
    assert Invoice.objects.count() == 1


def test_invoice_file_isolated(client, alloc_a, member_a_admin, member_b_admin, partner_user, dept_staff):
    invoice = invoice_register(
        allocation=alloc_a, number="22222222", amount="1", issue_date=YESTERDAY, file=pdf_upload(), actor=member_a_admin
    )
    url = reverse("files:download", args=[invoice.file_id])
    assert_allowed(client, member_a_admin, url)
    assert_allowed(client, dept_staff, url)
    assert_denied(client, member_b_admin, url, codes=(404,))
    assert_denied(client, partner_user, url, codes=(404,))


def test_payment_form_finance_only(client, alloc_a, people):
    url = reverse("budget:payment_add", args=[alloc_a.pk])
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in payment_kwargs(alloc_a).items()}
    for name in ("coordinator", "dept_staff", "member_a_admin"):
        assert_denied(client, people[name], url, "post", data, codes=(403,))
    assert not Payment.objects.exists()
    assert_allowed(client, people["finance_user"], url, "post", data, ok=(302,))
    over = dict(data, amount="60000.01", reference="X2")
    response = assert_allowed(client, people["finance_user"], url, "post", over, ok=(400,))
    assert "60,000.00" in str(response.context["payment_form"].errors["amount"])
    assert Payment.objects.count() == 1


def test_adjust_and_release_by_manager_only(client, alloc_a, people):
    url = reverse("budget:allocation_adjust", args=[alloc_a.pk])
    assert_denied(client, people["dept_staff"], url, "post", {"amount": "1"})
    assert_denied(client, people["member_a_admin"], url, "post", {"amount": "1"})
    alloc_a.refresh_from_db()
    assert alloc_a.approved_amount == Decimal("100000.00")
    assert_allowed(client, people["coordinator"], url, "post", {"amount": "90000"}, ok=(302,))
    alloc_a.refresh_from_db()
    assert alloc_a.approved_amount == Decimal("90000.00")
    url = reverse("budget:allocation_release", args=[alloc_a.pk])
    assert_allowed(client, people["finance_user"], url, "post", {"reason": "取消"}, ok=(302,))
    alloc_a.refresh_from_db()
    assert alloc_a.status == "released" and alloc_a.approved_amount == 0


def _rows(response):
    ws = load_workbook(io.BytesIO(response.content)).active
    return list(ws.iter_rows(min_row=2, values_only=True))


def test_year_export_scoped(client, alloc_a, alloc_b, people):
    url = reverse("budget:year_export", args=[2023])
    staff_rows = _rows(assert_allowed(client, people["coordinator"], url))
    assert {r[2] for r in staff_rows} == {alloc_a.title, alloc_b.title}
    assert staff_rows[0][5] == 100000
    a_rows = _rows(assert_allowed(client, people["member_a_admin"], url))
    assert [r[2] for r in a_rows] == [alloc_a.title]
    assert _rows(assert_allowed(client, people["partner_user"], url)) == []
    assert_denied(client, people["public_user"], url)
    assert_denied(client, people["regulator"], url)


def test_lists_run_constant_queries(client, coordinator, pool, make_allocation, org_a, dept_mm):
    from huifu.budget.services import pool_create

    login(client, coordinator)
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            make_allocation(org_a, amount="10")
            pool_create(year=2022, name=f"池{next(counter)}", amount="5", department=dept_mm, actor=coordinator)

    for url in (
        reverse("budget:pool_list"),
        reverse("budget:pool_detail", args=[pool.pk]),
        reverse("budget:allocation_list"),
    ):
        make_allocation(org_a, amount="10")
        assert_constant_queries(client, url, grow)


# --- API ---------------------------------------------------------------------------------------------


def test_api_pools_staff_only(client, pool, people):
    url = "/api/v1/budget/pools/"
    body = assert_allowed(client, people["dept_staff"], url).json()
    assert body["results"][0]["remaining"] == "1000000.00"
    for name in ("member_a_admin", "partner_user", "public_user"):
        assert_denied(client, people[name], url, codes=(403,))
    assert_denied(client, None, url)


def test_api_allocations_isolated(client, alloc_a, alloc_b, people):
    body = assert_allowed(client, people["member_a_admin"], "/api/v1/budget/allocations/").json()
    assert [r["id"] for r in body["results"]] == [alloc_a.pk]
    assert_denied(client, people["member_b_admin"], f"/api/v1/budget/allocations/{alloc_a.pk}/", codes=(404,))
    detail = assert_allowed(client, people["member_a_admin"], f"/api/v1/budget/allocations/{alloc_a.pk}/").json()
    assert detail["approved_amount"] == "100000.00" and detail["invoices"] == []


def test_api_invoice_and_payment(client, alloc_a, people):
    url = f"/api/v1/budget/allocations/{alloc_a.pk}/invoices/"
    data = {"number": "33333333", "amount": "100000.00", "issue_date": YESTERDAY.isoformat(), "file": pdf_upload()}
    assert_denied(client, people["member_b_admin"], url, "post", data, codes=(404,))
    response = assert_allowed(client, people["member_a_admin"], url, "post", dict(data, file=pdf_upload()), ok=(201,))
    assert response.json()["invoiced"] == "100000.00"
    dup = assert_allowed(client, people["member_a_admin"], url, "post", dict(data, file=pdf_upload()), ok=(400,))
    assert "number" in dup.json()["error"]["fields"]
    pay_url = f"/api/v1/budget/allocations/{alloc_a.pk}/payments/"
    pay = {
        k: (v.isoformat() if hasattr(v, "isoformat") else v)
        for k, v in payment_kwargs(alloc_a, amount="100000.01").items()
    }
    assert_denied(client, people["member_a_admin"], pay_url, "post", pay, content_type="application/json", codes=(403,))
    refused = assert_allowed(
        client, people["finance_user"], pay_url, "post", pay, content_type="application/json", ok=(400,)
    )
    assert refused.json()["error"]["fields"]["amount"]
    pay["amount"] = "100000.00"
    ok = assert_allowed(
        client, people["finance_user"], pay_url, "post", pay, content_type="application/json", ok=(201,)
    )
    assert ok.json()["payable"] == "0.00"
