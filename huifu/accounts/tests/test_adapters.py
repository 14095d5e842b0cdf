"""allauth's adapter: self sign-up makes public participants; allauth's mail goes through the outbox."""

from __future__ import annotations

import re

from django.core import mail

from huifu.accounts.models import User, UserKind
from huifu.outbox.models import OutboxMessage, OutboxStatus


def test_signup_creates_a_public_participant(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "New.Investor@example.com", "password1": "Futures-Learner-77", "password2": "Futures-Learner-77"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.investor@example.com")
    assert user.kind == UserKind.PUBLIC
    assert user.organisation is None and user.department is None
    # The confirmation mail went through the outbox.
    message = OutboxMessage.objects.get(to__iexact="new.investor@example.com")
    assert message.recipient == user


def test_signup_cannot_smuggle_a_kind_or_organisation(client, org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "email": "sneaky@example.com",
                "password1": "Futures-Learner-77",
                "password2": "Futures-Learner-77",
                "kind": "staff",
                "organisation": org_a.pk,
            },
        )
    user = User.objects.get(email="sneaky@example.com")
    assert user.kind == UserKind.PUBLIC and user.organisation_id is None


def test_password_reset_mail_is_delivered_through_the_outbox(
    client, member_a_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": member_a_contact.email})
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert message.to == member_a_contact.email
    assert message.recipient == member_a_contact
    assert message.organisation == member_a_contact.organisation
    assert message.status == OutboxStatus.SENT
    assert message.subject.startswith("[会服]")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [member_a_contact.email]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", sent.body)
    assert link is not None, sent.body

    # The link works: a new password can be set and used.
    path = link.group(0).split("testserver", 1)[-1]
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_url, {"password1": "Brand-New-Pass-42", "password2": "Brand-New-Pass-42"})
    assert response.status_code == 302
    member_a_contact.refresh_from_db()
    assert member_a_contact.check_password("Brand-New-Pass-42")
