"""Pages: user management scope, forms, deactivation taking effect, profile and tokens."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from huifu.accounts.models import OrgRole, PersonalAccessToken, User, UserKind
from huifu.accounts.services import token_create
from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.testing.access import assert_constant_queries
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory, org_user


def emails(response):
    return {u.email for u in response.context["page"]}


def test_org_admin_lists_only_own_org_users(client, member_a_admin, member_a_contact, member_b_contact, coordinator):
    login(client, member_a_admin)
    response = client.get(reverse("accounts:user_list"))
    assert emails(response) == {member_a_admin.email, member_a_contact.email}
    # A search cannot reach across: B's user stays invisible.
    response = client.get(reverse("accounts:user_list"), {"q": "beta"})
    assert emails(response) == set()


def test_coordinator_lists_everyone_with_filters(client, coordinator, member_a_contact, member_b_contact, regulator):
    login(client, coordinator)
    response = client.get(reverse("accounts:user_list"))
    assert {member_a_contact.email, member_b_contact.email, regulator.email, coordinator.email} <= emails(response)
    response = client.get(reverse("accounts:user_list"), {"kind": "regulator"})
    assert emails(response) == {regulator.email}
    User.objects.filter(pk=member_b_contact.pk).update(is_active=False)
    response = client.get(reverse("accounts:user_list"), {"active": "no"})
    assert emails(response) == {member_b_contact.email}
    response = client.get(reverse("accounts:user_list"), {"q": "乙期货"})
    assert emails(response) == {member_b_contact.email}


def test_user_list_is_paginated(client, coordinator, org_a):
    for n in range(55):
        org_user(org_a, email=f"bulk{n:02d}@alpha.example")
    login(client, coordinator)
    first = client.get(reverse("accounts:user_list"), {"kind": "member"})
    assert len(first.context["page"].object_list) == 50
    second = client.get(reverse("accounts:user_list"), {"kind": "member", "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert "kind=member" in second.content.decode()


def test_user_list_runs_constant_queries(client, coordinator, org_a):
    login(client, coordinator)

    def grow():
        for n in range(8):
            other = OrganisationFactory()
            user = org_user(other, OrgRole.ADMIN, email=f"grow{n}@example.com")
            if n % 2:
                from huifu.core.testing.auth import ensure_totp

                ensure_totp(user)

    assert_constant_queries(client, reverse("accounts:user_list"), grow)


def test_org_admin_user_list_runs_constant_queries(client, member_a_admin, org_a):
    login(client, member_a_admin)

    def grow():
        for n in range(6):
            org_user(org_a, email=f"more{n}@alpha.example")

    assert_constant_queries(client, reverse("accounts:user_list"), grow)


def test_org_admin_creates_user_through_the_form(client, member_a_admin, org_a, django_capture_on_commit_callbacks):
    login(client, member_a_admin)
    page = client.get(reverse("accounts:user_create"))
    assert list(page.context["form"].fields["organisation"].queryset) == [org_a]
    assert "department" not in page.context["form"].fields
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:user_create"),
            {
                "email": "new@alpha.example",
                "full_name": "新人",
                "kind": "member",
                "organisation": org_a.pk,
                "org_role": "contact",
            },
        )
    user = User.objects.get(email="new@alpha.example")
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.organisation == org_a and user.kind == UserKind.MEMBER


def test_form_with_another_orgs_id_is_refused_with_a_clear_message(client, member_a_admin, org_b):
    login(client, member_a_admin)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "email": "spy@beta.example",
            "full_name": "间谍",
            "kind": "member",
            "organisation": org_b.pk,
            "org_role": "admin",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "organisation" in errors
    assert not User.objects.filter(email="spy@beta.example").exists()
    html = response.content.decode()
    assert 'class="errorlist' in html


def test_form_refuses_staff_kind_for_org_admin(client, member_a_admin, org_a):
    login(client, member_a_admin)
    response = client.post(
        reverse("accounts:user_create"),
        {"email": "boss@alpha.example", "full_name": "x", "kind": "staff", "organisation": org_a.pk},
    )
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not User.objects.filter(email="boss@alpha.example").exists()


def test_coordinator_form_shows_kind_mismatch_next_to_the_field(client, coordinator, association):
    login(client, coordinator)
    response = client.post(
        reverse("accounts:user_create"),
        {
            "email": "m@assoc.example",
            "full_name": "x",
            "kind": "member",
            "organisation": association.pk,
            "org_role": "contact",
        },
    )
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors


def test_deactivation_ends_a_logged_in_session_at_once(client, member_a_admin, member_a_contact):
    victim = type(client)()
    login(victim, member_a_contact)
    assert victim.get(reverse("accounts:profile")).status_code == 200
    login(client, member_a_admin)
    response = client.post(reverse("accounts:user_deactivate", args=[member_a_contact.pk]))
    assert response.status_code == 302
    response = victim.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_deactivation_kills_a_session_even_if_its_row_survived(client, member_a_admin, member_a_contact):
    """Django's session auth itself refuses an inactive user (the row deletion is belt and braces)."""
    login(client, member_a_contact)
    User.objects.filter(pk=member_a_contact.pk).update(is_active=False)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_cannot_deactivate_self_through_the_page(client, member_a_admin):
    login(client, member_a_admin)
    response = client.post(reverse("accounts:user_deactivate", args=[member_a_admin.pk]), follow=True)
    assert response.status_code == 200
    member_a_admin.refresh_from_db()
    assert member_a_admin.is_active
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_profile_shows_user_and_mfa_status(client, member_a_contact):
    login(client, member_a_contact)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert member_a_contact.email in html
    assert reverse("mfa_activate_totp") in html


def test_profile_saves_language_preference(client, member_a_contact):
    login(client, member_a_contact)
    response = client.post(reverse("accounts:profile"), {"full_name": "新名", "phone": "", "preferred_language": "en"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    member_a_contact.refresh_from_db()
    assert member_a_contact.preferred_language == "en" and member_a_contact.full_name == "新名"
    response = client.post(reverse("accounts:profile"), {"full_name": "", "phone": "", "preferred_language": "en"})
    assert response.status_code == 400
    assert "full_name" in response.context["profile_form"].errors


def test_token_raw_value_is_shown_once(client, member_a_contact):
    login(client, member_a_contact)
    response = client.post(reverse("accounts:token_create"), {"name": "报表脚本"})
    assert response.status_code == 200
    raw = response.context["new_token_raw"]
    assert raw.startswith("hf_") and raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    later = client.get(reverse("accounts:profile")).content.decode()
    assert raw not in later and "报表脚本" in later
    token = PersonalAccessToken.objects.get(user=member_a_contact)
    assert token.key_hash == PersonalAccessToken.hash(raw)


def test_token_create_with_htmx_returns_the_token_section(client, member_a_contact):
    login(client, member_a_contact)
    tomorrow = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("accounts:token_create"), {"name": "cron", "expires_on": tomorrow.isoformat()}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="tokens"')
    token = PersonalAccessToken.objects.get(user=member_a_contact)
    assert timezone.localtime(token.expires_at).date() == tomorrow


def test_token_form_errors(client, member_a_contact):
    login(client, member_a_contact)
    response = client.post(
        reverse("accounts:token_create"), {"name": "", "expires_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    errors = response.context["token_form"].errors
    assert "name" in errors and "expires_on" in errors
    assert not PersonalAccessToken.objects.exists()


def test_revoke_with_htmx(client, member_a_contact):
    token, _ = token_create(user=member_a_contact, name="x", actor=member_a_contact)
    login(client, member_a_contact)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "badge-bad" in response.content.decode()


def test_org_security_toggle_enforces_mfa_for_the_org(client, member_a_admin, member_a_contact, org_a):
    login(client, member_a_admin)
    response = client.post(reverse("accounts:org_security"), {"require_mfa": "on"})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert org_a.require_mfa
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, target_id=str(org_a.pk)).count() == 1
    # The admin is an org user too: asked to set up TOTP next.
    assert client.get(reverse("accounts:profile"))["Location"] == reverse("mfa_activate_totp")
    other = type(client)()
    other.force_login(member_a_contact, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert other.get(reverse("accounts:profile"))["Location"] == reverse("mfa_activate_totp")
