from decimal import Decimal

from huifu.core.testing.auth import login
from huifu.incentives.models import Participation


def test_member_submits_via_api_and_staff_decides(client, member_a_admin, dept_staff, project):
    login(client, member_a_admin)
    r = client.post(
        "/api/v1/incentives/participations/",
        {"project": project.pk, "plan": "API 方案", "products": ["cu"]},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    login(client, dept_staff)
    r = client.post(
        f"/api/v1/incentives/participations/{pk}/review/", {"approve": True}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "tracking"


def test_api_bad_products_clear_error_nothing_saved(client, member_a_admin, project):
    login(client, member_a_admin)
    r = client.post(
        "/api/v1/incentives/participations/",
        {"project": project.pk, "plan": "p", "products": ["al"]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "products" in r.content.decode()
    r = client.post(
        "/api/v1/incentives/participations/",
        {"project": project.pk, "plan": "p", "products": ["zz"]},
        content_type="application/json",
    )
    assert r.status_code == 400 and "zz" in r.content.decode()
    assert not Participation.objects.exists()


def test_api_accept_partial(client, dept_staff, in_acceptance):
    login(client, dept_staff)
    r = client.post(
        f"/api/v1/incentives/participations/{in_acceptance.pk}/accept/",
        {"result": "partial", "payout_ratio": "0.5", "notes": "部分"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert Decimal(r.json()["payout_ratio"]) == Decimal("0.5")


def test_api_illegal_transition_is_400(client, dept_staff, submitted):
    login(client, dept_staff)
    r = client.post(
        f"/api/v1/incentives/participations/{submitted.pk}/accept/",
        {"result": "accepted"},
        content_type="application/json",
    )
    assert r.status_code == 400


def test_project_detail_api_has_rules(client, member_a_admin, project):
    login(client, member_a_admin)
    data = client.get(f"/api/v1/incentives/projects/{project.pk}/").json()
    assert {r["product"] for r in data["rules"]} == {"cu", "cu_o"}
    assert data["rules"][0]["tiers"][0] == {"from": "0", "to": "100000", "rate": "0.1"}


def test_member_api_list_scoped(client, member_b_admin, submitted):
    login(client, member_b_admin)
    assert client.get("/api/v1/incentives/participations/").json()["count"] == 0
