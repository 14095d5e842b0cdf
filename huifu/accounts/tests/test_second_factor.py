"""The TOTP step of logging in: a limit of wrong codes per pending login, each one audited,
messages that read naturally in Chinese."""

from __future__ import annotations

import time

from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from huifu.accounts.totp import current_code
from huifu.audit.models import AuditAction, AuditEvent
from huifu.core.testing.auth import ensure_totp, fresh_code

LOGIN = "/accounts/login/"


def _wrong_code(secret: str) -> str:
    valid = {current_code(secret, time.time() + shift) for shift in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444", "555555") if code not in valid)


def _password_step(client, user, password):
    response = client.post(LOGIN, {"login": user.email, "password": password})
    assert response["Location"] == reverse("mfa_authenticate")


def test_wrong_codes_end_the_pending_login_and_count_as_a_failed_login(client, coordinator, password):
    secret = ensure_totp(coordinator)
    wrong = _wrong_code(secret)
    limit = settings.HUIFU_TOTP_FAILURE_LIMIT
    assert limit == 5
    _password_step(client, coordinator, password)
    for attempt in range(limit - 1):
        response = client.post(reverse("mfa_authenticate"), {"code": wrong})
        assert response.status_code == 200, attempt
        assert "验证码不正确" in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    page = client.get(response["Location"])
    assert "验证码错误次数过多" in page.content.decode()

    # The pending login is over: even the right code no longer logs in.
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session

    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, target_id=str(coordinator.pk))
    assert list(failures.order_by("id").values_list("message", flat=True)) == ["wrong two-factor code"] * limit + [
        "too many wrong two-factor codes: pending login ended"
    ]
    assert AccessAttempt.objects.get(username=coordinator.email).failures_since_start == 1
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_sixty_fast_wrong_codes_never_reach_a_login(client, coordinator, password):
    secret = ensure_totp(coordinator)
    wrong = _wrong_code(secret)
    _password_step(client, coordinator, password)
    for _ in range(60):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    client.post(reverse("mfa_authenticate"), {"code": fresh_code(secret)})
    assert "_auth_user_id" not in client.session


def test_a_fresh_session_does_not_start_a_fresh_count(client, coordinator, password):
    """Giving up a pending login after a few wrong codes and logging in again in a new browser
    session must not buy new guesses: the count belongs to the account."""
    from django.test import Client

    secret = ensure_totp(coordinator)
    wrong = _wrong_code(secret)
    _password_step(client, coordinator, password)
    for _ in range(3):
        assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    other = Client()
    _password_step(other, coordinator, password)
    assert other.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    response = other.post(reverse("mfa_authenticate"), {"code": wrong})  # the fifth wrong code
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    # Past the limit, each further wrong code ends the login again (and counts for the lockout).
    _password_step(other, coordinator, password)
    assert other.post(reverse("mfa_authenticate"), {"code": wrong})["Location"] == reverse("account_login")
    assert AccessAttempt.objects.get(username=coordinator.email).failures_since_start == 2


def test_the_right_code_starts_the_count_again(client, coordinator, password):
    secret = ensure_totp(coordinator)
    wrong = _wrong_code(secret)
    limit = settings.HUIFU_TOTP_FAILURE_LIMIT
    _password_step(client, coordinator, password)
    for _ in range(limit - 1):
        client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert client.post(reverse("mfa_authenticate"), {"code": fresh_code(secret)}).status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)
    client.post(reverse("account_logout"))
    _password_step(client, coordinator, password)
    codes = [client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code for _ in range(limit - 1)]
    assert codes == [200] * (limit - 1)


def test_a_reused_code_is_explained(client, coordinator, password):
    secret = ensure_totp(coordinator)
    code = fresh_code(secret, min_remaining=15)  # both attempts must fall in the same period
    _password_step(client, coordinator, password)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))
    _password_step(client, coordinator, password)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200
    assert "已被使用" in response.content.decode()


def test_at_the_limit_even_the_right_code_is_not_checked(client, coordinator, password):
    """Parallel guesses: requests of one pending login (or of several) that were already in
    flight when the limit was reached must not get their code checked. Here the limit was
    reached by another session's requests; the right code no longer logs in (review)."""
    from django.test import Client

    secret = ensure_totp(coordinator)
    wrong = _wrong_code(secret)
    _password_step(client, coordinator, password)
    other = Client()
    _password_step(other, coordinator, password)
    for _ in range(settings.HUIFU_TOTP_FAILURE_LIMIT - 1):
        assert other.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    other.post(reverse("mfa_authenticate"), {"code": wrong})  # the limit is reached
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action=AuditAction.LOGIN).exists()


def test_wrong_codes_at_re_authentication_are_limited_too(client, coordinator):
    """Review: someone holding a logged-in session (a borrowed laptop, a stolen cookie) could
    guess codes at the re-authentication step without limit (only allauth's 10 a minute) and then
    change the account's second factor. At the limit the session ends."""
    from huifu.core.testing.auth import login

    secret = ensure_totp(coordinator)
    wrong = _wrong_code(secret)
    login(client, coordinator)
    url = reverse("mfa_reauthenticate")
    for _ in range(settings.HUIFU_TOTP_FAILURE_LIMIT - 1):
        assert client.post(url, {"code": wrong}).status_code == 200
    response = client.post(url, {"code": wrong})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.post(url, {"code": fresh_code(secret)}).status_code == 302
    assert "_auth_user_id" not in client.session
