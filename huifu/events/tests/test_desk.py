"""The desk's scans (services/desk.py, views_desk.py): a resend of the same scan id answers with
its first result; two desks that scanned one ticket offline end with one check-in at the earliest
scan time; forged or altered tickets, another session's ticket and impossible scan times are
refused; only staff and the session's co-organisers may send scans (CSRF-protected)."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from huifu.audit.models import AuditEvent
from huifu.core.testing.access import assert_constant_queries, fetch
from huifu.core.testing.auth import login
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import CheckIn, DeskScan, Session
from huifu.events.services.desk import desk_scan_record
from huifu.events.tickets import ticket_token

from .conftest import session_data

pytestmark = pytest.mark.django_db


def _held_yesterday(session):
    """Move the session to yesterday once people registered (registration closes when it
    starts; scans are accepted from the start of its day, so scans of the last hours count at
    any time of day the test runs)."""
    Session.objects.filter(pk=session.pk).update(date=timezone.localdate() - datetime.timedelta(days=1))
    session.refresh_from_db()
    return session


def _new_session(coordinator, university, title="签到测试"):
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh=title)
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=[university] if university else [],
        **session_data(title=title, date=day, capacity=5, audiences=["members_practitioners"]),
    )
    return services.session_publish(actor=coordinator, session=session)


@pytest.fixture
def desk_session(coordinator, university):
    session = _new_session(coordinator, university)
    person = UserFactory(email="guest@example.com", full_name="签到嘉宾", phone="13800001234")
    second = UserFactory(email="second@example.com", full_name="第二位")
    registration = services.registration_create(actor=person, session=session)
    services.registration_create(actor=second, session=session)
    return _held_yesterday(session), registration


def scan(actor, session, token, *, scan_id=None, desk="1号台", at=None, sent_at=None):
    return desk_scan_record(
        actor=actor,
        session=session,
        client_scan_id=scan_id or str(uuid.uuid4()),
        desk=desk,
        scanned_at=at or timezone.now(),
        sent_at=sent_at,
        token=token,
    )


def test_resend_of_a_scan_id_returns_the_first_answer(desk_session, dept_staff):
    session, registration = desk_session
    token, scan_id = ticket_token(registration), str(uuid.uuid4())
    first = scan(dept_staff, session, token, scan_id=scan_id)
    again = scan(dept_staff, session, token, scan_id=scan_id, desk="另一台")
    assert not first.replayed and again.replayed
    assert again.scan.pk == first.scan.pk and again.scan.outcome == "checked_in"
    assert CheckIn.objects.count() == 1 and DeskScan.objects.count() == 1
    # A new scan of the same ticket is a second scan: "already", naming the first desk.
    other = scan(dept_staff, session, token, desk="2号台")
    assert other.scan.outcome == "already" and other.scan.answer_desk == "1号台"
    assert CheckIn.objects.count() == 1 and DeskScan.objects.count() == 2


def test_two_desks_offline_keep_the_earliest_scan(desk_session, dept_staff, university_user):
    session, registration = desk_session
    token = ticket_token(registration)
    now = timezone.now()
    early, late = now - datetime.timedelta(minutes=20), now - datetime.timedelta(minutes=5)
    # Desk 2 (later scan) reconnects first; desk 1 (earlier scan) reconnects after it.
    second = scan(university_user, session, token, desk="2号台", at=late, sent_at=now)
    first = scan(dept_staff, session, token, desk="1号台", at=early, sent_at=now)
    check_in = CheckIn.objects.get()
    assert abs(check_in.checked_in_at - early) < datetime.timedelta(seconds=2)
    assert check_in.desk == "1号台" and check_in.checked_in_by == dept_staff
    assert second.scan.outcome == "checked_in" and first.scan.outcome == "checked_in"
    # Each desk's resend repeats its own first answer; the history says what moved.
    replay = scan(university_user, session, token, scan_id=str(second.scan.client_scan_id), desk="2号台", at=late)
    assert replay.replayed and replay.scan.answer_desk == "2号台"
    assert CheckIn.objects.count() == 1 and DeskScan.objects.count() == 2
    moved = AuditEvent.objects.get(action="update", target_id=str(check_in.pk))
    assert moved.changes["desk"] == ["2号台", "1号台"] and moved.actor_id == dept_staff.pk


def test_desk_clock_is_corrected_by_the_send_time(desk_session, dept_staff):
    session, registration = desk_session
    now = timezone.now()
    skew = datetime.timedelta(hours=3)  # the desk's clock runs 3 hours ahead
    result = scan(
        dept_staff,
        session,
        ticket_token(registration),
        at=now + skew - datetime.timedelta(minutes=1),
        sent_at=now + skew,
    )
    expected = now - datetime.timedelta(minutes=1)
    assert abs(result.scan.scanned_at - expected) < datetime.timedelta(seconds=5)


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("forged", "invalid_ticket"),
        ("altered", "invalid_ticket"),
        ("other_session", "wrong_session"),
        ("future", "scan_in_future"),
        ("before_day", "scan_before_session_day"),
        ("naive", "invalid_time"),
        ("bad_id", "invalid_scan_id"),
        ("reused_id", "scan_id_reused"),
    ],
)
def test_refused_scans_record_nothing(desk_session, dept_staff, coordinator, case, code):
    session, registration = desk_session
    token = ticket_token(registration)
    kwargs = {"token": token}
    if case == "forged":
        kwargs["token"] = token[:-3] + "abc"
    elif case == "altered":
        kwargs["token"] = token.replace(f"R{registration.pk}", f"R{registration.pk + 1}")
    elif case == "other_session":
        other = _new_session(coordinator, None, title="另一场")
        person = UserFactory(email="other@example.com")
        kwargs["token"] = ticket_token(services.registration_create(actor=person, session=other))
        _held_yesterday(other)
    elif case == "future":
        kwargs["at"] = timezone.now() + datetime.timedelta(hours=1)
    elif case == "before_day":
        kwargs["at"] = timezone.now() - datetime.timedelta(days=3)
    elif case == "naive":
        kwargs["at"] = datetime.datetime(2026, 1, 1, 9, 0)
    elif case == "bad_id":
        kwargs["scan_id"] = "not-a-uuid"
    elif case == "reused_id":
        second = session.registrations.exclude(pk=registration.pk).get()
        kwargs["scan_id"] = str(scan(dept_staff, session, ticket_token(second)).scan.client_scan_id)
    before = (CheckIn.objects.count(), DeskScan.objects.count())
    with pytest.raises(ValidationError) as exc:
        scan(dept_staff, session, **kwargs)
    assert exc.value.code == code
    assert (CheckIn.objects.count(), DeskScan.objects.count()) == before


def test_who_may_send_scans(desk_session, university_user, other_university_user, public_user, member_a_admin):
    session, registration = desk_session
    for user in (other_university_user, public_user, member_a_admin, None):
        with pytest.raises(PermissionDenied):
            scan(user, session, ticket_token(registration))
    assert not DeskScan.objects.exists()
    assert scan(university_user, session, ticket_token(registration)).scan.outcome == "checked_in"


# --- the JSON endpoint ------------------------------------------------------------------------


def post(client, session, **body):
    return client.post(f"/events/sessions/{session.pk}/desk/scans/", json.dumps(body), content_type="application/json")


def body_for(registration, **extra):
    now = timezone.now().isoformat()
    return {
        "scan_id": str(uuid.uuid4()),
        "token": ticket_token(registration),
        "desk": "1号台",
        "scanned_at": now,
        "sent_at": now,
        **extra,
    }


def test_endpoint_answers_and_replays(client, desk_session, dept_staff):
    session, registration = desk_session
    login(client, dept_staff)
    body = body_for(registration)
    first = post(client, session, **body)
    assert first.status_code == 200
    data = first.json()
    assert (
        data["outcome"] == "checked_in" and not data["replayed"] and data["counts"] == {"confirmed": 2, "checked_in": 1}
    )
    assert data["message"] == "签到嘉宾：签到成功。"
    again = post(client, session, **body).json()
    assert again["replayed"] and again["outcome"] == "checked_in" and again["checked_in_at"] == data["checked_in_at"]
    other = post(client, session, **body_for(registration, desk="2号台")).json()
    assert other["outcome"] == "already" and "在1号台签到" in other["message"]
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"token": "R1:forged"}, "invalid_ticket"),
        ({"scanned_at": "yesterday-ish"}, "invalid_time"),
        ({"scanned_at": "2020-01-01T09:00:00+08:00"}, "scan_before_session_day"),
        ({"scan_id": ""}, "invalid_scan_id"),
    ],
)
def test_endpoint_refusals_are_400_with_a_code(client, desk_session, dept_staff, body, code):
    session, registration = desk_session
    login(client, dept_staff)
    response = post(client, session, **body_for(registration, **body))
    assert response.status_code == 400 and response.json()["code"] == code and response.json()["message"]
    response = client.post(f"/events/sessions/{session.pk}/desk/scans/", "not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_request"
    assert not CheckIn.objects.exists() and not DeskScan.objects.exists()


def test_endpoint_permissions(client, desk_session, coordinator, university_user, other_university_user, public_user):
    session, registration = desk_session
    # A co-organiser of ANOTHER session: that session is theirs, this one is not.
    theirs = _new_session(coordinator, other_university_user.organisation, title="复旦场")
    assert other_university_user.has_perm("events.check_in", theirs)
    url = f"/events/sessions/{session.pk}/desk/scans/"
    assert client.post(url, json.dumps(body_for(registration)), content_type="application/json").json()["code"] == (
        "login_required"
    )
    for user, status in ((other_university_user, 404), (public_user, 404)):
        response = fetch(client, user, url, "post", json.dumps(body_for(registration)), content_type="application/json")
        assert response.status_code == status, user
    assert fetch(client, None, url, "get").status_code == 405
    assert not CheckIn.objects.exists() and not DeskScan.objects.exists()
    response = fetch(
        client, university_user, url, "post", json.dumps(body_for(registration)), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["outcome"] == "checked_in"


def test_endpoint_requires_the_csrf_token(desk_session, dept_staff):
    session, registration = desk_session
    client = Client(enforce_csrf_checks=True)
    login(client, dept_staff)
    page = client.get(f"/events/sessions/{session.pk}/desk/")
    assert page.status_code == 200 and 'id="desk-texts"' in page.content.decode()
    assert post(client, session, **body_for(registration)).status_code == 403
    token = page.cookies["csrftoken"].value
    response = client.post(
        f"/events/sessions/{session.pk}/desk/scans/",
        json.dumps(body_for(registration)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert CheckIn.objects.count() == 1


def test_desk_lookup_queries_constant(client, coordinator, university, dept_staff):
    session = _new_session(coordinator, university, title="查询计数签到")
    people = iter(UserFactory(email=f"g{i}@example.com", full_name=f"嘉宾{i}") for i in range(8))
    first = services.registration_create(actor=next(people), session=session)
    services.checkin_record(actor=dept_staff, session=session, desk="1号台", registration_id=first.pk)

    def grow():
        for _ in range(3):
            registration = services.registration_create(actor=next(people), session=session)
            services.checkin_record(actor=dept_staff, session=session, desk="2号台", registration_id=registration.pk)
        for _ in range(3):
            services.registration_create(actor=next(people), session=session)

    url = f"/events/sessions/{session.pk}/desk/?q=嘉宾"
    page = fetch(client, dept_staff, url)
    assert page.status_code == 200 and "嘉宾0" in page.content.decode()
    assert_constant_queries(client, url, grow)
