"""The accounts API: Bearer tokens, scoping of users, tokens, and the OpenAPI schema."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from huifu.accounts.models import PersonalAccessToken, User
from huifu.accounts.services import token_create, user_deactivate
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import ensure_totp, login
from huifu.core.testing.factories import OrganisationFactory, org_user


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_bearer_token_authenticates_me(client, member_a_contact):
    token, raw = token_create(user=member_a_contact, name="script", actor=member_a_contact)
    response = client.get("/api/v1/me/", **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == member_a_contact.email
    assert body["organisation"]["id"] == member_a_contact.organisation_id
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_unknown_malformed_revoked_and_expired_tokens_get_401(client, member_a_contact):
    response = client.get("/api/v1/me/", **bearer("hf_nope"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer").status_code == 401
    token, raw = token_create(user=member_a_contact, name="x", actor=member_a_contact)
    PersonalAccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 401
    soon = timezone.now() + datetime.timedelta(hours=1)
    expiring, raw2 = token_create(user=member_a_contact, name="y", expires_at=soon, actor=member_a_contact)
    assert client.get("/api/v1/me/", **bearer(raw2)).status_code == 200
    PersonalAccessToken.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/me/", **bearer(raw2)).status_code == 401


def test_deactivation_stops_a_token_at_once(client, member_a_admin, member_a_contact):
    _token, raw = token_create(user=member_a_contact, name="x", actor=member_a_contact)
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 200
    user_deactivate(user=member_a_contact, actor=member_a_admin)
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 401


def test_inactive_user_token_refused_even_if_not_revoked(client, member_a_contact):
    _token, raw = token_create(user=member_a_contact, name="x", actor=member_a_contact)
    User.objects.filter(pk=member_a_contact.pk).update(is_active=False)
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 401


def test_token_api_create_list_revoke(client, member_a_contact):
    login(client, member_a_contact)
    response = client.post("/api/v1/tokens/", {"name": "ci"}, content_type="application/json")
    assert response.status_code == 201
    raw = response.json()["token"]
    assert raw.startswith("hf_")
    listing = client.get("/api/v1/tokens/").json()
    assert listing["count"] == 1
    assert "token" not in listing["results"][0] and listing["results"][0]["is_usable"] is True
    client.logout()
    # The new token works, and can revoke itself.
    token_id = response.json()["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}/", **bearer(raw)).status_code == 204
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 401


def test_token_api_validation(client, member_a_contact):
    login(client, member_a_contact)
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = client.post("/api/v1/tokens/", {"name": "x", "expires_at": past}, content_type="application/json")
    assert response.status_code == 400
    assert "expires_at" in response.json()["error"]["fields"]
    response = client.post("/api/v1/tokens/", {"name": ""}, content_type="application/json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    assert not PersonalAccessToken.objects.exists()


def test_api_user_list_scoped_for_org_admin(client, member_a_admin, member_a_contact, member_b_contact):
    _t, raw = token_create(user=member_a_admin, name="x", actor=member_a_admin)
    body = client.get("/api/v1/users/", **bearer(raw)).json()
    assert {u["email"] for u in body["results"]} == {member_a_admin.email, member_a_contact.email}
    assert client.get(f"/api/v1/users/{member_b_contact.pk}/", **bearer(raw)).status_code == 404


def test_api_create_with_another_orgs_id_is_refused(client, member_a_admin, org_b):
    login(client, member_a_admin)
    response = client.post(
        "/api/v1/users/",
        {
            "email": "spy@beta.example",
            "full_name": "间谍",
            "kind": "member",
            "organisation": org_b.pk,
            "org_role": "admin",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"]["organisation"]
    assert not User.objects.filter(email="spy@beta.example").exists()


def test_api_create_staff_by_coordinator(client, coordinator, dept_finance, django_capture_on_commit_callbacks):
    login(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/users/",
            {"email": "f9@shfe.example", "full_name": "新财务", "kind": "staff", "department": dept_finance.pk},
            content_type="application/json",
        )
    assert response.status_code == 201, response.json()
    assert response.json()["department"]["id"] == dept_finance.pk
    assert response.json()["mfa_required"] is True


def test_api_kind_mismatch_is_a_field_error(client, coordinator, association):
    login(client, coordinator)
    response = client.post(
        "/api/v1/users/",
        {
            "email": "m@assoc.example",
            "full_name": "x",
            "kind": "member",
            "organisation": association.pk,
            "org_role": "contact",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_api_patch_refuses_fields_outside_the_actors_reach(client, member_a_admin, member_a_contact, dept_business):
    login(client, member_a_admin)
    response = client.patch(
        f"/api/v1/users/{member_a_contact.pk}/", {"department": dept_business.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    member_a_contact.refresh_from_db()
    assert member_a_contact.department_id is None


def test_api_deactivate_self_is_refused(client, member_a_admin):
    login(client, member_a_admin)
    response = client.post(f"/api/v1/users/{member_a_admin.pk}/deactivate/")
    assert response.status_code == 400
    member_a_admin.refresh_from_db()
    assert member_a_admin.is_active


def test_api_user_list_runs_constant_queries(client, coordinator):
    _t, raw = token_create(user=coordinator, name="x", actor=coordinator)
    ensure_totp(coordinator)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client.get("/api/v1/me/")  # stamps last_used_at once, outside the measured requests

    def grow():
        for n in range(5):
            org_user(OrganisationFactory(), email=f"api-grow{n}@example.com")

    assert_constant_queries(client, "/api/v1/users/", grow)


def test_schema_is_valid(client, db):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/me/",
        "/api/v1/users/",
        "/api/v1/users/{user_id}/",
        "/api/v1/users/{user_id}/deactivate/",
        "/api/v1/tokens/",
        "/api/v1/tokens/{token_id}/",
    ]:
        assert path in paths, path


def test_schema_generation_has_no_warnings(capsys, db):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator(patterns=None).get_schema(request=None, public=True)
    validate_schema(schema)
    err = capsys.readouterr().err
    assert "huifu/accounts" not in err and "accounts.api" not in err, err
