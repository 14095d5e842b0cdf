"""Tickets and check-in: signed tokens, forged or altered ones refused, one check-in per
registration (a second scan says when and by which desk), co-organisers at their own sessions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from huifu.core.testing.access import assert_allowed, assert_denied
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import CheckIn
from huifu.events.tickets import TicketInvalid, ticket_registration_id, ticket_svg, ticket_token

from .conftest import session_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def seated(coordinator, university):
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh="签到测试")
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university],
        **session_data(date=day, capacity=1, audiences=["members_practitioners"]),
    )
    session = services.session_publish(actor=coordinator, session=session)
    person = UserFactory(email="guest@example.com", full_name="签到嘉宾", phone="13800001234")
    waiting_person = UserFactory(email="late@example.com", full_name="候补嘉宾")
    registration = services.registration_create(actor=person, session=session)
    waiting = services.registration_create(actor=waiting_person, session=session)
    return session, registration, waiting


def test_token_round_trip_and_forgery(seated):
    _session, registration, _waiting = seated
    token = ticket_token(registration)
    assert ticket_registration_id(token) == registration.pk
    for bad in ("", "R1:abc", token.replace(f"R{registration.pk}", f"R{registration.pk + 1}"), token[:-1] + "x"):
        with pytest.raises(TicketInvalid):
            ticket_registration_id(bad)
    assert ticket_svg(registration).startswith("<svg")


def test_second_scan_is_idempotent_and_names_the_first(seated, dept_staff):
    session, registration, _waiting = seated
    token = ticket_token(registration)
    first = services.checkin_record(actor=dept_staff, session=session, desk="1号台", token=token)
    second = services.checkin_record(actor=dept_staff, session=session, desk="2号台", token=token)
    assert not first.already and second.already
    assert second.check_in.pk == first.check_in.pk and second.check_in.desk == "1号台"
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("case", ["forged", "waiting", "other_session", "nothing"])
def test_bad_tickets_refused_with_codes(seated, dept_staff, coordinator, make_session, case):
    session, registration, waiting = seated
    kwargs = {
        "forged": {"token": ticket_token(registration)[:-2] + "zz"},
        "waiting": {"registration_id": waiting.pk},
        "other_session": {"token": ticket_token(registration)},
        "nothing": {},
    }[case]
    target = session
    if case == "other_session":
        target = services.session_create(
            actor=coordinator,
            series=session.series,
            **session_data(date=session.date, audiences=["members_practitioners"]),
        )
    with pytest.raises(ValidationError) as exc:
        services.checkin_record(actor=dept_staff, session=target, desk="1", **kwargs)
    assert (
        exc.value.code
        == {
            "forged": "invalid_ticket",
            "waiting": "not_confirmed",
            "other_session": "wrong_session",
            "nothing": "required",
        }[case]
    )
    assert CheckIn.objects.count() == 0


def test_who_may_check_in(seated, university_user, other_university_user, public_user, member_a_admin):
    session, registration, _waiting = seated
    for user in (other_university_user, public_user, member_a_admin, None):
        with pytest.raises(PermissionDenied):
            services.checkin_record(actor=user, session=session, desk="1", registration_id=registration.pk)
    assert not services.checkin_record(
        actor=university_user, session=session, desk="合办方", registration_id=registration.pk
    ).already


def test_desk_page(client, seated, dept_staff, other_university_user):
    session, registration, _waiting = seated
    url = f"/events/sessions/{session.pk}/desk/"
    assert_denied(client, None, url)
    assert_denied(client, other_university_user, url)
    page = assert_allowed(client, dept_staff, f"{url}?q=13800001234").content.decode()
    assert "签到嘉宾" in page
    token = ticket_token(registration)
    response = client.post(url, {"desk": "2号台", "token": token}, follow=True)
    assert "签到嘉宾：签到成功。" in response.content.decode()
    response = client.post(url, {"desk": "3号台", "token": token}, follow=True)
    assert "签到嘉宾：已于" in response.content.decode() and "在2号台签到" in response.content.decode()
    for bad in ({"token": "garbage"}, {"registration": "abc"}, {"registration": "999999"}):
        assert client.post(url, bad).status_code == 302
    assert CheckIn.objects.count() == 1


def test_ticket_on_my_registrations_for_the_person_only(client, seated):
    _session, registration, waiting = seated
    page = assert_allowed(client, registration.person, "/events/my/").content.decode()
    assert '<div class="ticket"><svg' in page and ticket_token(registration) in page
    page = assert_allowed(client, waiting.person, "/events/my/").content.decode()
    assert 'class="ticket"' not in page and ticket_token(waiting) not in page
