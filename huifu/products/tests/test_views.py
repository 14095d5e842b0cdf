from decimal import Decimal

import pytest
from django.urls import reverse

from huifu.audit.models import AuditEvent
from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.products.models import Product


@pytest.fixture
def people(member_a_admin, partner_user, regulator, public_user, dept_staff, coordinator):
    return {
        "member": member_a_admin,
        "partner": partner_user,
        "regulator": regulator,
        "public": public_user,
        "staff": dept_staff,
        "coordinator": coordinator,
    }


def test_matrix(client, people, catalogue):
    for name, user in people.items():
        assert_allowed(client, user, reverse("products:list"))
        assert_allowed(client, user, reverse("products:detail", args=["cu"]))
        assert_allowed(client, user, "/api/v1/products/")
        if name in ("staff", "coordinator"):
            assert_allowed(client, user, reverse("products:edit", args=["cu"]))
        else:
            assert_denied(client, user, reverse("products:edit", args=["cu"]))
    for url in (reverse("products:list"), "/api/v1/products/"):
        assert_denied(client, None, url)


@pytest.mark.parametrize("persona", ["member", "partner", "regulator", "public"])
def test_denied_edit_changes_nothing(client, people, persona, catalogue):
    assert_denied(
        client,
        people[persona],
        reverse("products:edit", args=["al"]),
        method="post",
        data={"name_zh": "x", "fee_basis": "per_lot", "fee_per_lot": "0", "contract_multiplier": "1", "sort_order": 1},
    )
    assert_denied(
        client,
        people[persona],
        "/api/v1/products/al/",
        method="patch",
        data={"fee_per_lot": "0"},
        content_type="application/json",
    )
    assert Product.objects.get(code="al").fee_per_lot == Decimal("3")


def test_inactive_product_hidden_from_members(client, people, catalogue):
    Product.objects.filter(code="wr").update(is_active=False)
    assert_denied(client, people["member"], reverse("products:detail", args=["wr"]), codes=(404,))
    assert_allowed(client, people["staff"], reverse("products:detail", args=["wr"]))


def test_staff_edits_fee_with_audit(client, dept_staff, catalogue):
    login(client, dept_staff)
    n = AuditEvent.objects.count()
    r = client.post(
        reverse("products:edit", args=["al"]),
        {
            "name_zh": "铝",
            "name_en": "Aluminium",
            "is_active": "on",
            "listed_on": "1992-05-28",
            "contract_multiplier": "5",
            "unit": "吨",
            "fee_basis": "turnover_rate",
            "fee_rate": "0.00003",
            "sort_order": 30,
        },
    )
    assert r.status_code == 302
    al = Product.objects.get(code="al")
    assert al.fee_basis == "turnover_rate" and al.fee_rate == Decimal("0.00003") and al.fee_per_lot is None
    assert AuditEvent.objects.count() == n + 1


def test_edit_missing_fee_shows_field_error(client, dept_staff, catalogue):
    login(client, dept_staff)
    r = client.post(
        reverse("products:edit", args=["al"]),
        {
            "name_zh": "铝",
            "contract_multiplier": "5",
            "fee_basis": "turnover_rate",
            "sort_order": 30,
        },
    )
    assert r.status_code == 200 and "fee_rate" in r.context["form"].errors
    assert Product.objects.get(code="al").fee_basis == "per_lot"


def test_api_patch_bad_rate_is_400(client, dept_staff, catalogue):
    login(client, dept_staff)
    r = client.patch("/api/v1/products/cu/", {"fee_rate": "1.5"}, content_type="application/json")
    assert r.status_code == 400
    r = client.patch("/api/v1/products/cu/", {"fee_rate": "0.00004"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["fee_rate"] == "0.00004000"


def test_list_constant_queries(client, member_a_admin, catalogue):
    login(client, member_a_admin)
    counter = iter(range(100))

    def grow():
        for _ in range(3):
            n = next(counter)
            fut = Product.objects.create(code=f"x{n}", name_zh=f"测{n}", fee_per_lot=1)
            Product.objects.create(code=f"x{n}_o", name_zh=f"测{n}期权", kind="option", underlying=fut, fee_per_lot=1)

    assert_constant_queries(client, reverse("products:list"), grow)
