"""Registration: capacity, moderation, duplicates, closing, cancellation, colleagues of one's own
company only, company isolation, the confirmation e-mail with its .ics."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huifu.core.testing.access import assert_allowed, assert_denied, fetch
from huifu.core.testing.factories import org_user
from huifu.events import selectors, services
from huifu.events.models import Registration, RegistrationState
from huifu.files.models import StoredFile
from huifu.outbox.models import OutboxMessage

from .conftest import session_data

pytestmark = pytest.mark.django_db
R = RegistrationState


@pytest.fixture
def open_session(coordinator, make_session):
    """A published session of next month (still open), 2 seats."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="开放报名系列")
    return make_session(series=series, date=day, capacity=2, publish=True)


@pytest.fixture
def investor2(db):
    from huifu.core.testing.factories import UserFactory

    return UserFactory(email="investor2@example.com", full_name="第二位投资者")


def test_public_user_registers_and_gets_the_mail_with_ics(open_session, public_user):
    reg = services.registration_create(actor=public_user, session=open_session)
    assert reg.state == R.CONFIRMED and reg.registered_by == public_user
    mail = OutboxMessage.objects.get(to=public_user.email)
    assert open_session.title in mail.subject
    from huifu.events.tickets import ticket_token

    assert ticket_token(reg) in mail.body_text and "/events/my/" in mail.body_text
    stored = StoredFile.objects.get(pk=mail.attachment_ids[0])
    assert stored.content_type == "text/calendar" and b"BEGIN:VEVENT" in stored.file.read()
    assert mail.attachment_ids[1] == f"render:events.ticket:{reg.pk}"  # drawn at sending, not here


def test_the_confirmation_mail_carries_the_ticket_qr_code(open_session, public_user, member_a_admin):
    """The e-mail as the relay gets it: the .ics and the ticket's QR code as a PNG, which is the
    QR of this registration's signed token (and only this one's)."""
    from huifu.events.tickets import TICKET_FILE_NAME, ticket_png, ticket_token
    from huifu.outbox.delivery import build_email

    mine = services.registration_create(actor=public_user, session=open_session)
    other = services.registration_create(actor=member_a_admin, session=open_session)
    email = build_email(OutboxMessage.objects.get(to=public_user.email))
    names = [name for name, _content, _type in email.attachments]
    assert names == [f"session-{open_session.pk}.ics", TICKET_FILE_NAME]
    _name, png, mimetype = email.attachments[1]
    assert mimetype == "image/png" and png.startswith(b"\x89PNG")
    assert png == ticket_png(mine) and png != ticket_png(other)
    assert ticket_token(mine) in email.body and TICKET_FILE_NAME in email.body


def test_full_session_waitlists_and_capacity_is_never_exceeded(open_session, public_user, investor2, member_a_admin):
    services.registration_create(actor=public_user, session=open_session)
    services.registration_create(actor=investor2, session=open_session)
    third = services.registration_create(actor=member_a_admin, session=open_session)
    assert third.state == R.WAITLISTED
    assert selectors.seats_taken(session=open_session) == 2
    assert list(selectors.waiting_list(session=open_session)) == [third]


def test_twice_for_the_same_session_is_refused(open_session, public_user):
    services.registration_create(actor=public_user, session=open_session)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=public_user, session=open_session)
    assert exc.value.code == "already_registered"
    assert Registration.objects.count() == 1


def test_cancel_then_register_again(open_session, public_user):
    reg = services.registration_create(actor=public_user, session=open_session)
    services.registration_cancel(actor=public_user, registration=reg)
    again = services.registration_create(actor=public_user, session=open_session)
    assert again.state == R.CONFIRMED


def test_closed_draft_and_past_sessions_refuse(coordinator, make_session, public_user, open_session):
    draft = make_session(series=open_session.series, date=open_session.date)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=public_user, session=draft)
    assert exc.value.code == "not_published"
    past = make_session(publish=True, date=datetime.date(2026, 1, 15))
    if past.starts_at < timezone.now():
        with pytest.raises(ValidationError) as exc:
            services.registration_create(actor=public_user, session=past)
        assert exc.value.code == "registration_closed"
    closed = services.session_update(
        actor=coordinator, session=open_session, registration_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=public_user, session=closed)
    assert exc.value.code == "registration_closed"


def test_moderation(coordinator, open_session, public_user, investor2, university_user):
    session = services.session_update(actor=coordinator, session=open_session, requires_approval=True, capacity=1)
    first = services.registration_create(actor=public_user, session=session)
    second = services.registration_create(actor=investor2, session=session)
    assert first.state == second.state == R.PENDING
    assert not OutboxMessage.objects.exists()
    with pytest.raises(PermissionDenied):
        services.registration_approve(actor=university_user, registration=first)
    with pytest.raises(PermissionDenied):
        services.registration_approve(actor=public_user, registration=first)
    assert services.registration_approve(actor=coordinator, registration=first).state == R.CONFIRMED
    assert services.registration_approve(actor=coordinator, registration=second).state == R.WAITLISTED
    with pytest.raises(ValidationError) as exc:
        services.registration_refuse(actor=coordinator, registration=first)
    assert exc.value.code == "illegal_transition"
    assert OutboxMessage.objects.filter(to=public_user.email).count() == 1


def test_member_registers_a_colleague_but_not_another_company(
    open_session, member_a_admin, member_a_contact, member_b_contact
):
    reg = services.registration_create(actor=member_a_admin, session=open_session, person=member_a_contact)
    assert reg.person == member_a_contact and reg.registered_by == member_a_admin and reg.organisation_id
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=member_a_admin, session=open_session, person=member_b_contact)
    assert not Registration.objects.filter(person=member_b_contact).exists()


def test_public_user_cannot_register_someone_else(open_session, public_user, investor2):
    with pytest.raises(PermissionDenied):
        services.registration_create(actor=public_user, session=open_session, person=investor2)


def test_company_a_never_sees_company_b_registrations(
    client, open_session, member_a_admin, member_a_contact, member_b_admin, org_b
):
    b_colleague = org_user(org_b, email="b2@beta.example", full_name="乙公司同事")
    a_reg = services.registration_create(actor=member_a_admin, session=open_session, person=member_a_contact)
    b_reg = services.registration_create(actor=member_b_admin, session=open_session, person=b_colleague)
    assert list(selectors.my_registrations(user=member_a_admin)) == [a_reg]
    assert list(selectors.session_registrations(user=member_b_admin, session=open_session)) == [b_reg]
    page = assert_allowed(client, member_a_admin, "/events/my/").content.decode()
    assert member_a_contact.full_name in page and "乙公司同事" not in page
    detail = assert_allowed(client, member_a_admin, open_session.get_public_url()).content.decode()
    assert "乙公司同事" not in detail
    # Acting on B's registration answers like a missing one and changes nothing.
    assert_denied(client, member_a_admin, f"/events/registrations/{b_reg.pk}/cancel/", method="post", codes=(404,))
    b_reg.refresh_from_db()
    assert b_reg.state == R.CONFIRMED


def test_cancellation_by_others_refused(open_session, public_user, investor2):
    reg = services.registration_create(actor=public_user, session=open_session)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(actor=investor2, registration=reg)
    assert services.registration_cancel(actor=public_user, registration=reg).state == R.CANCELLED
    with pytest.raises(ValidationError):
        services.registration_cancel(actor=public_user, registration=reg)


def test_co_organiser_sees_and_moderates_its_session_only(
    coordinator, make_session, university, university_user, other_university_user, public_user
):
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh="合办培训")
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        requires_approval=True,
        **session_data(date=day, audiences=["members_practitioners"]),
    )
    session = services.session_publish(actor=coordinator, session=session)
    reg = services.registration_create(actor=public_user, session=session)
    with pytest.raises(PermissionDenied):
        services.registration_approve(actor=other_university_user, registration=reg)
    assert list(selectors.session_registrations(user=other_university_user, session=session)) == []
    assert list(selectors.session_registrations(user=university_user, session=session)) == [reg]
    assert services.registration_approve(actor=university_user, registration=reg).state == R.CONFIRMED


def test_register_page_flow_and_bad_input(client, open_session, public_user, member_a_admin, member_b_contact):
    url = f"/events/sessions/{open_session.pk}/register/"
    assert_denied(client, None, url, method="post")
    response = assert_allowed(client, public_user, url, method="post", ok=(302,))
    assert response["Location"] == open_session.get_public_url()
    assert Registration.objects.get().person == public_user
    fetch(client, member_a_admin, "/events/my/")
    for bad in ("abc", str(member_b_contact.pk), "999999"):
        assert client.post(url, {"person": bad}).status_code == 302
    assert Registration.objects.count() == 1
    detail = client.get(open_session.get_public_url()).content.decode()
    assert "报名" in detail
    assert client.post("/events/sessions/999999/register/").status_code == 404


def test_link_shown_only_to_confirmed_people(client, coordinator, open_session, public_user, investor2):
    session = services.session_update(
        actor=coordinator, session=open_session, mode="hybrid", platform="腾讯会议", link="https://m.example.com/room-9"
    )
    services.registration_create(actor=public_user, session=session)
    assert "room-9" in assert_allowed(client, public_user, session.get_public_url()).content.decode()
    assert "room-9" not in assert_allowed(client, investor2, session.get_public_url()).content.decode()
    client.logout()
    assert "room-9" not in client.get(session.get_public_url()).content.decode()
