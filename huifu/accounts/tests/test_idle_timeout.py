"""Browser sessions end after a while without activity: 30 minutes for staff and regulators,
120 for everyone else (settings). Tests move the last-activity time back instead of sleeping."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.urls import reverse

from huifu.accounts.middleware import IDLE_SESSION_KEY
from huifu.core.testing.auth import login


def _idle_for(client, minutes):
    session = client.session
    session[IDLE_SESSION_KEY] = int(time.time()) - minutes * 60
    session.save()


def test_defaults():
    assert settings.HUIFU_IDLE_TIMEOUT_PRIVILEGED_MINUTES == 30
    assert settings.HUIFU_IDLE_TIMEOUT_MINUTES == 120
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


@pytest.mark.parametrize(
    ("name", "idle_ok", "idle_too_long"),
    [("coordinator", 29, 31), ("regulator", 29, 31), ("member_a_contact", 119, 121)],
)
def test_session_ends_after_idle_time(request, client, name, idle_ok, idle_too_long):
    user = request.getfixturevalue(name)
    login(client, user)
    profile = reverse("accounts:profile")
    assert client.get(profile).status_code == 200  # records the activity
    _idle_for(client, idle_ok)
    assert client.get(profile).status_code == 200
    _idle_for(client, idle_too_long)
    response = client.get(profile)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login")) and "next=" in response["Location"]
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "长时间未操作" in page.content.decode()


def test_idle_api_session_is_refused(client, member_a_contact):
    login(client, member_a_contact)
    assert client.get("/api/v1/me/").status_code == 200
    _idle_for(client, 121)
    assert client.get("/api/v1/me/").status_code in (401, 403)
