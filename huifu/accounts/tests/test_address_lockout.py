"""Password spraying: many accounts tried from one address are stopped by a per-address limit,
beside the per-account lockout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.testing.factories import UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # allauth's own request rate limit per address lives there
    yield
    cache.clear()


def _spray(client, accounts, **extra):
    return [client.post(LOGIN, {"login": a.email, "password": "Spring2026!"}, **extra).status_code for a in accounts]


# allauth's coarse "30 login requests a minute per address" is switched off here: the refusal
# must come from the failure count, which also holds for a slow attacker.
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": None, "login": None})
def test_thirty_accounts_sprayed_from_one_address_then_the_right_password_is_refused(
    client, member_a_contact, password
):
    assert settings.HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT == 20
    assert settings.AXES_FAILURE_LIMIT == 5  # the per-account limit is kept
    codes = _spray(client, UserFactory.create_batch(30))
    # One failure per account never reaches an account's limit; the address limit does.
    assert codes[:19] == [200] * 19 and set(codes[20:]) == {429}

    response = client.post(LOGIN, {"login": member_a_contact.email, "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "此网络地址" in response.content.decode()

    locked = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert locked.message == "address locked after 20 failed logins" and locked.ip_address == "127.0.0.1"
    refused = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, target_id=str(member_a_contact.pk)).get()
    assert refused.message.startswith("refused: too many failed logins from this address")


def test_address_lockout_does_not_touch_other_addresses(client, member_a_contact, password):
    _spray(client, UserFactory.create_batch(20))
    response = client.post(LOGIN, {"login": member_a_contact.email, "password": password}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


@override_settings(HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_address_limit_is_a_setting(client, member_a_contact, password):
    _spray(client, UserFactory.create_batch(3))
    assert client.post(LOGIN, {"login": member_a_contact.email, "password": password}).status_code == 429


# Behind the deployment's reverse proxy (deploy/compose.yaml: HUIFU_TRUSTED_PROXY_COUNT=1) every
# request comes from the proxy's address; the client is the address the proxy appended to
# X-Forwarded-For. Counting by REMOTE_ADDR there would let one sprayer lock out everybody.
PROXY = "10.0.0.2"


@override_settings(HUIFU_TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS={"login_failed": None, "login": None})
def test_behind_the_proxy_a_sprayer_does_not_lock_out_other_clients(client, member_a_contact, password):
    codes = _spray(client, UserFactory.create_batch(21), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert codes[-1] == 429
    response = client.post(
        LOGIN,
        {"login": member_a_contact.email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert response.status_code == 302


@override_settings(HUIFU_TRUSTED_PROXY_COUNT=1, ACCOUNT_RATE_LIMITS={"login_failed": None, "login": None})
def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_address_limit(client, member_a_contact):
    # The client sends its own X-Forwarded-For; the proxy appends the real address after it.
    for n, account in enumerate(UserFactory.create_batch(21)):
        last = client.post(
            LOGIN,
            {"login": account.email, "password": "Spring2026!"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.5",
        )
    assert last.status_code == 429


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, member_a_contact, password):
    for n, account in enumerate(UserFactory.create_batch(21)):
        client.post(LOGIN, {"login": account.email, "password": "x"}, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post(LOGIN, {"login": member_a_contact.email, "password": password})
    assert response.status_code == 429
