"""Self sign-up does not reveal whether an address is registered."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import override_settings

from huifu.accounts.models import User
from huifu.outbox.models import OutboxMessage

PASSWORD = "Futures-Learner-77"


def _page(response, email) -> str:
    """The page without its per-request CSRF token and the address typed (shown back as typed)."""
    html = re.sub(r'(X-CSRFToken": "|value=")[^"]*', r"\1", response.content.decode())
    return html.replace(email.lower(), "EMAIL")


def _signup(client, email, capture):
    with capture(execute=True):
        return client.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def test_registered_and_new_addresses_get_the_same_answer(client, member_a_contact, django_capture_on_commit_callbacks):
    taken = _signup(client, member_a_contact.email.upper(), django_capture_on_commit_callbacks)
    taken_page = client.get(taken["Location"])
    client.cookies.clear()
    fresh = _signup(client, "new.investor@example.com", django_capture_on_commit_callbacks)
    fresh_page = client.get(fresh["Location"])

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert taken_page.status_code == fresh_page.status_code == 200
    assert _page(taken_page, member_a_contact.email) == _page(fresh_page, "new.investor@example.com")
    assert "已被其他用户注册" not in taken_page.content.decode()
    # Nobody is logged in by signing up; the confirmation e-mail proves the address.
    assert "_auth_user_id" not in client.session

    # No second account; the owner is told by mail, the newcomer gets a confirmation link.
    assert User.objects.filter(email__iexact=member_a_contact.email).count() == 1
    assert User.objects.filter(email="new.investor@example.com").exists()
    assert OutboxMessage.objects.filter(to__iexact=member_a_contact.email, topic__contains="already_exists").exists()
    assert OutboxMessage.objects.filter(to="new.investor@example.com", topic__contains="confirmation").exists()


class CountingHasher(MD5PasswordHasher):
    """Counts password hashes: the slow step of a sign-up (hundreds of ms with the production
    hasher), whose absence for a registered address would tell it apart by timing."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@override_settings(PASSWORD_HASHERS=["huifu.accounts.tests.test_signup.CountingHasher"])
def test_registered_and_new_addresses_cost_the_same_password_hashing(
    client, member_a_contact, django_capture_on_commit_callbacks
):
    CountingHasher.calls = 0
    _signup(client, member_a_contact.email, django_capture_on_commit_callbacks)
    taken = CountingHasher.calls
    client.cookies.clear()
    CountingHasher.calls = 0
    _signup(client, "new.investor@example.com", django_capture_on_commit_callbacks)
    assert taken == CountingHasher.calls >= 1
