"""Logging in through allauth's real pages: e-mail + password, the TOTP step, audit and lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from huifu.accounts.totp import current_code
from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.testing.auth import ensure_totp, fresh_code

LOGIN = "/accounts/login/"


def post_login(client, email, password):
    return client.post(LOGIN, {"login": email, "password": password})


def test_login_page_uses_site_layout_in_chinese(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html  # our base.html
    assert "登录" in html
    assert 'name="login"' in html


def test_member_logs_in_by_email_and_password(client, member_a_contact, password):
    response = post_login(client, "Contact@Alpha.example", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.get(reverse("accounts:profile")).status_code == 200
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN).get()
    assert event.actor == member_a_contact


def test_staff_login_asks_for_totp_code(client, coordinator, password):
    secret = ensure_totp(coordinator)
    response = post_login(client, coordinator.email, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not logged in until the second step.
    assert client.get(reverse("accounts:profile")).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()

    wrong = client.post(
        reverse("mfa_authenticate"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=coordinator).count() == 1


def test_wrong_password_is_refused_and_audited(client, member_a_contact):
    response = post_login(client, member_a_contact.email, "not-the-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.target_id == str(member_a_contact.pk)
    assert event.target_label == member_a_contact.email
    assert event.actor is None
    assert event.ip_address == "127.0.0.1"


def test_unknown_address_failure_is_audited_without_target(client, db):
    post_login(client, "nobody@example.com", "whatever-password")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.target_id == ""
    assert event.target_label == "nobody@example.com"


def test_lockout_after_five_failures_refuses_even_the_right_password(client, member_a_contact, password):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for attempt in range(limit - 1):
        response = post_login(client, member_a_contact.email, f"wrong-{attempt}")
        assert response.status_code == 200, attempt
    # The fifth failure locks the account (the case of the address does not matter).
    response = post_login(client, member_a_contact.email.upper(), "wrong-again")
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "暂时锁定" in response.content.decode()
    assert AccessAttempt.objects.get().username == member_a_contact.email

    response = post_login(client, member_a_contact.email, password)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session

    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == limit + 1
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).count() == 1
    messages = list(
        AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id").values_list("message", flat=True)
    )
    assert messages[limit - 1] == "wrong e-mail or password; account now locked"
    assert messages[limit] == "refused: account locked (password not checked)"
    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert locked.target_id == str(member_a_contact.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_lockout_is_per_account(client, member_a_contact, member_a_admin, password):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, member_a_contact.email, f"wrong-{attempt}")
    response = post_login(client, member_a_admin.email, password)
    assert response.status_code == 302


def test_success_resets_the_failure_count(client, member_a_contact, password):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, member_a_contact.email, f"wrong-{attempt}")
    assert post_login(client, member_a_contact.email, password).status_code == 302
    client.logout()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert post_login(client, member_a_contact.email, f"wrong-{attempt}").status_code == 200
    assert post_login(client, member_a_contact.email, password).status_code == 302


def test_deactivated_user_cannot_log_in(client, member_a_contact, password):
    member_a_contact.is_active = False
    member_a_contact.save()
    response = post_login(client, member_a_contact.email, password)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == reverse("account_inactive")


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/password/reset/", "/accounts/2fa/"])
def test_allauth_pages_use_site_layout(client, path, member_a_contact):
    if path == "/accounts/2fa/":
        client.force_login(member_a_contact, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = client.get(path)
    assert response.status_code == 200
    assert 'class="site-header"' in response.content.decode()


def test_staff_first_login_sets_up_totp_then_works(client, dept_staff, password):
    response = post_login(client, dept_staff.email, password)
    assert response.status_code == 302
    # Logged in, but every page leads to the TOTP setup.
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert 'class="site-header"' in page.content.decode()
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": fresh_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
