"""MfaRequiredMiddleware: who must set up TOTP first, and what they can still reach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.accounts.services import token_create
from huifu.core.testing.auth import ensure_totp

ACTIVATE = "/accounts/2fa/totp/activate/"


def force_login(client, user):
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")


@pytest.mark.parametrize("persona", ["coordinator", "dept_staff", "finance_user", "regulator"])
def test_staff_and_regulators_without_totp_are_sent_to_set_it_up(client, request, persona):
    user = request.getfixturevalue(persona)
    force_login(client, user)
    for path in ["/", reverse("accounts:profile"), reverse("accounts:user_list")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE, follow=True)
    assert page.status_code == 200
    messages = [str(m) for m in page.context["messages"]]
    assert any("two-factor" in m or "双重" in m or "两步" in m for m in messages), messages


def test_pages_needed_to_set_up_totp_stay_reachable(client, coordinator):
    force_login(client, coordinator)
    # allauth may first ask for the password again (no recent login in a forced session).
    response = client.get(ACTIVATE, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain in (
        [],
        [(reverse("account_reauthenticate") + "?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F", 302)],
    )
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_htmx_requests_get_a_client_redirect(client, coordinator):
    force_login(client, coordinator)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == ACTIVATE


def test_staff_with_totp_pass_through(client, coordinator):
    ensure_totp(coordinator)
    force_login(client, coordinator)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_staff_cannot_turn_totp_off(client, coordinator):
    ensure_totp(coordinator)
    force_login(client, coordinator)
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    from allauth.mfa.models import Authenticator

    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()


def test_member_without_requirement_is_not_redirected(client, member_a_contact):
    force_login(client, member_a_contact)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_member_may_turn_own_optional_totp_off(client, member_a_contact):
    ensure_totp(member_a_contact)
    force_login(client, member_a_contact)
    # The deactivation page itself (allauth asks to re-authenticate or shows the form).
    assert client.get(reverse("mfa_deactivate_totp")).status_code in (200, 302)
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.get("Location") != reverse("mfa_index")


def test_org_requirement_applies_to_its_users_only(client, member_a_contact, member_b_contact, org_a):
    org_a.require_mfa = True
    org_a.save()
    force_login(client, member_a_contact)
    assert client.get(reverse("accounts:profile"))["Location"] == ACTIVATE
    client.logout()
    force_login(client, member_b_contact)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_api_bearer_token_of_user_without_required_totp_gets_mfa_required(client, regulator):
    _token, raw = token_create(user=regulator, name="script", actor=regulator)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"
    ensure_totp(regulator)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["email"] == regulator.email


def test_api_session_of_user_without_required_totp_gets_mfa_required(client, coordinator):
    force_login(client, coordinator)
    response = client.get("/api/v1/me/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


def test_api_token_lookup_runs_once_per_request(client, member_a_contact, django_assert_max_num_queries):
    _token, raw = token_create(user=member_a_contact, name="script", actor=member_a_contact)
    client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")  # sets last_used_at
    # token (with user and organisation) in one query; nothing else for a member without TOTP.
    with django_assert_max_num_queries(1):
        assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
