"""API rate limits: a clear 429 in the error envelope with Retry-After, per account."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from huifu.accounts.services import token_create
from huifu.core.testing.auth import login


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(HUIFU_API_RATES={"user": "3/minute", "anon": "3/minute"})
def test_token_client_over_its_rate_gets_429_with_retry_after(client, member_a_contact, member_a_admin):
    _, raw = token_create(user=member_a_contact, name="script", actor=member_a_contact)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert [client.get("/api/v1/me/", **auth).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/me/", **auth)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "throttled" and error["message"]
    # Another account has its own budget.
    _, other = token_create(user=member_a_admin, name="other", actor=member_a_admin)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 200


@override_settings(HUIFU_API_RATES={"user": "2/minute", "anon": "2/minute"})
def test_session_and_tokens_of_one_account_share_the_budget(client, member_a_contact):
    _, raw = token_create(user=member_a_contact, name="script", actor=member_a_contact)
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    login(client, member_a_contact)
    assert client.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 429


def test_anonymous_clients_cannot_pick_their_address_with_x_forwarded_for(rf):
    from rest_framework.request import Request

    from huifu.accounts.throttling import ApiAnonThrottle

    request = Request(rf.get("/api/schema/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.1"))
    assert ApiAnonThrottle().get_ident(request) == "198.51.100.1"
