"""Account services: creation rules, scope, deactivation, tokens, the organisation's MFA switch."""

from __future__ import annotations

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huifu.accounts import services
from huifu.accounts.models import OrgRole, PersonalAccessToken, User, UserKind
from huifu.audit.models import AuditAction, AuditEvent
from huifu.outbox.models import OutboxMessage


def create(actor, **overrides):
    data = {
        "email": "new.user@alpha.example",
        "full_name": "新用户",
        "kind": UserKind.MEMBER,
        "organisation": getattr(actor, "organisation", None),
        "org_role": OrgRole.CONTACT,
    }
    data.update(overrides)
    return services.user_create(actor=actor, **data)


def test_org_admin_creates_user_in_own_org_and_invitation_is_mailed(member_a_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = create(member_a_admin, email=" New.User@Alpha.example ")
    assert user.email == "new.user@alpha.example"
    assert user.organisation == member_a_admin.organisation
    assert not user.has_usable_password()
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    event = AuditEvent.objects.get(action=AuditAction.CREATE)
    assert event.target_id == str(user.pk) and event.actor == member_a_admin
    message = OutboxMessage.objects.get(recipient=user)
    assert "/accounts/password/reset/key/" in message.body_text
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]


def test_invitation_link_sets_the_password(client, member_a_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = create(member_a_admin)
    body = OutboxMessage.objects.get(recipient=user).body_text
    url = next(line for line in body.splitlines() if "/accounts/password/reset/key/" in line).strip()
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "Brand-New-Pass-42", "password2": "Brand-New-Pass-42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-New-Pass-42")


def test_org_admin_cannot_create_user_in_another_org(member_a_admin, org_b):
    with pytest.raises(ValidationError) as exc:
        create(member_a_admin, organisation=org_b)
    assert "organisation" in exc.value.message_dict
    assert not User.objects.filter(email="new.user@alpha.example").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CREATE).exists()


def test_org_admin_cannot_create_staff(member_a_admin, dept_business):
    with pytest.raises(ValidationError) as exc:
        create(member_a_admin, kind=UserKind.STAFF, organisation=None, department=dept_business, org_role="")
    assert "kind" in exc.value.message_dict


@pytest.mark.parametrize("persona", ["member_a_contact", "dept_staff", "dept_head", "public_user", "regulator"])
def test_non_managers_cannot_create_users(request, persona, org_a):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        create(actor, organisation=org_a)


def test_kind_must_match_organisation_kind(coordinator, org_a, association, csrc_shanghai):
    with pytest.raises(ValidationError) as exc:
        create(coordinator, kind=UserKind.PARTNER, organisation=org_a)
    assert "kind" in exc.value.message_dict
    with pytest.raises(ValidationError):
        create(coordinator, kind=UserKind.MEMBER, organisation=association)
    with pytest.raises(ValidationError):
        create(coordinator, kind=UserKind.MEMBER, organisation=csrc_shanghai)
    assert create(coordinator, kind=UserKind.PARTNER, organisation=association).kind == UserKind.PARTNER
    assert create(coordinator, email="r@csrc.example", kind=UserKind.REGULATOR, organisation=csrc_shanghai).is_regulator


def test_coordinator_creates_staff_with_department(coordinator, dept_finance):
    user = create(
        coordinator,
        email="f2@shfe.example",
        kind=UserKind.STAFF,
        organisation=None,
        department=dept_finance,
        org_role="",
    )
    assert user.department == dept_finance and user.organisation is None
    with pytest.raises(ValidationError) as exc:
        create(coordinator, email="f3@shfe.example", kind=UserKind.STAFF, organisation=None, org_role="")
    assert "department" in exc.value.message_dict


def test_public_users_are_not_created_by_managers(coordinator):
    with pytest.raises(ValidationError) as exc:
        create(coordinator, kind=UserKind.PUBLIC, organisation=None, org_role="")
    assert "kind" in exc.value.message_dict


def test_duplicate_email_is_refused_whatever_the_case(member_a_admin, member_a_contact):
    with pytest.raises(ValidationError) as exc:
        create(member_a_admin, email=member_a_contact.email.upper())
    assert "email" in exc.value.message_dict


def test_missing_role_and_name_are_named(member_a_admin):
    with pytest.raises(ValidationError) as exc:
        create(member_a_admin, full_name=" ", org_role="boss")
    assert {"full_name", "org_role"} <= set(exc.value.message_dict)


def test_deactivate_revokes_tokens_and_deletes_sessions(client, member_a_admin, member_a_contact):
    token, _raw = services.token_create(user=member_a_contact, name="script", actor=member_a_contact)
    client.force_login(member_a_contact, backend="allauth.account.auth_backends.AuthenticationBackend")
    other = type(client)()
    other.force_login(member_a_admin, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert Session.objects.count() == 2
    services.user_deactivate(user=member_a_contact, actor=member_a_admin)
    member_a_contact.refresh_from_db()
    token.refresh_from_db()
    assert member_a_contact.is_active is False
    assert token.revoked_at is not None
    assert Session.objects.count() == 1  # the admin's own session survives
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.changes == {"is_active": [True, False]}
    # Reactivation does not bring tokens back.
    services.user_reactivate(user=member_a_contact, actor=member_a_admin)
    assert not PersonalAccessToken.objects.usable().filter(user=member_a_contact).exists()


def test_nobody_deactivates_themself(member_a_admin):
    with pytest.raises(ValidationError):
        services.user_deactivate(user=member_a_admin, actor=member_a_admin)
    member_a_admin.refresh_from_db()
    assert member_a_admin.is_active


def test_org_admin_cannot_deactivate_another_orgs_user(member_a_admin, member_b_contact):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=member_b_contact, actor=member_a_admin)
    member_b_contact.refresh_from_db()
    assert member_b_contact.is_active


def test_deactivating_twice_is_refused(coordinator, member_b_contact):
    services.user_deactivate(user=member_b_contact, actor=coordinator)
    with pytest.raises(ValidationError):
        services.user_deactivate(user=member_b_contact, actor=coordinator)


def test_user_update_scope_and_fields(member_a_admin, member_a_contact, member_b_contact, dept_business):
    updated = services.user_update(
        user=member_a_contact, actor=member_a_admin, full_name="改名", org_role=OrgRole.ADMIN
    )
    assert updated.full_name == "改名" and updated.org_role == OrgRole.ADMIN
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.changes["full_name"] == ["甲联系人", "改名"]
    with pytest.raises(PermissionDenied):
        services.user_update(user=member_b_contact, actor=member_a_admin, full_name="x")
    with pytest.raises(ValidationError):
        services.user_update(user=member_a_contact, actor=member_a_admin, department=dept_business)
    with pytest.raises(ValidationError):
        services.user_update(user=member_a_admin, actor=member_a_admin, org_role=OrgRole.CONTACT)


def test_org_mfa_requirement_is_set_by_own_admin_only(member_a_admin, member_b_admin, org_a, member_a_contact):
    services.organisation_set_mfa_requirement(organisation=org_a, required=True, actor=member_a_admin)
    org_a.refresh_from_db()
    assert org_a.require_mfa is True
    member_a_contact.refresh_from_db()
    assert member_a_contact.mfa_required
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.changes == {"require_mfa": [False, True]}
    with pytest.raises(PermissionDenied):
        services.organisation_set_mfa_requirement(organisation=org_a, required=False, actor=member_b_admin)
    org_a.refresh_from_db()
    assert org_a.require_mfa is True


def test_token_create_and_revoke(member_a_contact):
    token, raw = services.token_create(user=member_a_contact, name=" script ", actor=member_a_contact)
    assert raw.startswith("hf_") and token.key_prefix == raw[:10]
    assert token.key_hash == PersonalAccessToken.hash(raw) and raw not in token.key_hash
    assert token.name == "script"
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED, target_id=str(token.pk)).count() == 1
    services.token_revoke(token=token, actor=member_a_contact)
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_usable
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED).count() == 1
    with pytest.raises(ValidationError):
        services.token_revoke(token=token, actor=member_a_contact)


def test_token_rules(member_a_contact, member_b_contact):
    with pytest.raises(ValidationError) as exc:
        services.token_create(user=member_a_contact, name="", actor=member_a_contact)
    assert "name" in exc.value.message_dict
    past = timezone.now() - datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        services.token_create(user=member_a_contact, name="old", expires_at=past, actor=member_a_contact)
    assert "expires_at" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.token_create(user=member_b_contact, name="theirs", actor=member_a_contact)
    token, _ = services.token_create(user=member_b_contact, name="theirs", actor=member_b_contact)
    with pytest.raises(PermissionDenied):
        services.token_revoke(token=token, actor=member_a_contact)
    assert not PersonalAccessToken.objects.filter(user=member_a_contact).exists()


def test_profile_update(member_a_contact, member_b_contact):
    user = services.profile_update(
        user=member_a_contact, actor=member_a_contact, full_name="新名字", phone="123", preferred_language="en"
    )
    assert (user.full_name, user.phone, user.preferred_language) == ("新名字", "123", "en")
    with pytest.raises(ValidationError):
        services.profile_update(
            user=member_a_contact, actor=member_a_contact, full_name="x", phone="", preferred_language="fr"
        )
    with pytest.raises(PermissionDenied):
        services.profile_update(
            user=member_b_contact, actor=member_a_contact, full_name="x", phone="", preferred_language=""
        )
