"""Management commands: create_token and demo_totp."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from huifu.accounts.models import PersonalAccessToken
from huifu.accounts.system import system_actor
from huifu.accounts.totp import DEMO_TOTP_SECRET, activate_totp, current_code
from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.testing.auth import ensure_totp, wait_for_totp_window


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_token_prints_a_working_token_once(client, member_a_contact):
    raw, err = run("create_token", member_a_contact.email.upper(), "--name", "etl", "--expires-days", "30")
    token = PersonalAccessToken.objects.get(user=member_a_contact)
    assert token.name == "etl" and token.key_hash == PersonalAccessToken.hash(raw)
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert raw not in err
    assert AuditEvent.objects.get(action=AuditAction.TOKEN_CREATED).actor == system_actor()
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["email"] == member_a_contact.email


def test_create_token_default_has_no_expiry(member_a_contact):
    run("create_token", member_a_contact.email)
    assert PersonalAccessToken.objects.get().expires_at is None


def test_create_token_errors(member_a_contact):
    with pytest.raises(CommandError):
        run("create_token", "nobody@example.com")
    with pytest.raises(CommandError):
        run("create_token", member_a_contact.email, "--expires-days", "0")
    member_a_contact.is_active = False
    member_a_contact.save()
    with pytest.raises(CommandError):
        run("create_token", member_a_contact.email)
    assert not PersonalAccessToken.objects.exists()


def test_demo_totp_prints_the_current_code(coordinator):
    activate_totp(coordinator, DEMO_TOTP_SECRET)
    wait_for_totp_window(5)  # the command and the check below read the same period
    code, _ = run("demo_totp", coordinator.email)
    assert code == current_code(DEMO_TOTP_SECRET)
    assert len(code) == 6 and code.isdigit()


def test_demo_totp_refuses_real_accounts(coordinator, member_a_contact):
    ensure_totp(coordinator)  # a random secret: a real user's
    with pytest.raises(CommandError):
        run("demo_totp", coordinator.email)
    with pytest.raises(CommandError):
        run("demo_totp", member_a_contact.email)
    with pytest.raises(CommandError):
        run("demo_totp", "nobody@example.com")
