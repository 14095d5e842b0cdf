"""Seats per audience and per company: quotas reserve seats for one audience, the rest is the open
pool of the audiences without a quota; the waiting list offers a freed seat to the next person in
line whose bucket has a free seat (and whose company is under its limit); capacity and quota
changes and the sweep respect every bucket. Bad input (closed, full without a waiting list,
twice, unknown audience) answers with a clear message on the pages and saves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from huifu.accounts.system import system_actor
from huifu.core.testing.access import assert_allowed, fetch
from huifu.core.testing.auth import login
from huifu.core.testing.factories import UserFactory, org_user
from huifu.events import selectors, services
from huifu.events.models import Audience, Registration, RegistrationState
from huifu.events.services.registrations import SeatPlan
from huifu.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db
R = RegistrationState
A = Audience.ANALYSTS
I = Audience.INDIVIDUALS  # noqa: E741


@pytest.fixture
def series(coordinator):
    day = timezone.localdate() + datetime.timedelta(days=30)
    return services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="配额测试系列")


@pytest.fixture
def quota_session(make_session, series):
    """Four seats: one reserved for analysts, three in the open pool (individual investors)."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    return make_session(series=series, date=day, capacity=4, audience_quotas={A: 1}, publish=True)


@pytest.fixture
def people(db):
    return [UserFactory(email=f"q{i}@example.com", full_name=f"配额{i}") for i in range(8)]


def _states(regs):
    for reg in regs:
        reg.refresh_from_db()
    return [reg.state for reg in regs]


def _check_buckets(session):
    session.refresh_from_db()
    plan = SeatPlan(session)
    for bucket, size in plan.sizes.items():
        assert size is None or plan.used[bucket] <= size, (bucket, plan.used, plan.sizes)
    assert selectors.seats_taken(session=session) <= session.capacity


def test_quota_reserves_seats_and_the_waiting_list_goes_by_bucket(quota_session, people):
    session = quota_session
    analyst1 = services.registration_create(actor=people[0], session=session, audience=A)
    analyst2 = services.registration_create(actor=people[1], session=session, audience=A)
    individuals = [services.registration_create(actor=p, session=session, audience=I) for p in people[2:6]]
    # The analysts' quota of 1 is taken: the second analyst waits although the pool had seats.
    assert _states([analyst1, analyst2]) == [R.CONFIRMED, R.WAITLISTED]
    assert _states(individuals) == [R.CONFIRMED, R.CONFIRMED, R.CONFIRMED, R.WAITLISTED]
    assert [r.audience for r in (analyst1, individuals[0])] == [A, I]
    _check_buckets(session)
    # A pool seat frees: it goes to the waiting individual, not to the analyst who came earlier.
    services.registration_cancel(actor=people[2], registration=individuals[0])
    assert _states([analyst2, individuals[3]]) == [R.WAITLISTED, R.OFFERED]
    # The analysts' seat frees: it goes to the waiting analyst.
    services.registration_cancel(actor=people[0], registration=analyst1)
    assert _states([analyst2]) == [R.OFFERED]
    _check_buckets(session)


def test_raising_a_quota_promotes_that_audience_and_lowering_below_the_seats_is_refused(
    coordinator, quota_session, people
):
    session = quota_session
    services.registration_create(actor=people[0], session=session, audience=A)
    waiting = services.registration_create(actor=people[1], session=session, audience=A)
    services.session_update(actor=coordinator, session=session, audience_quotas={A: 2})
    assert _states([waiting]) == [R.OFFERED]
    with pytest.raises(ValidationError) as exc:
        services.session_update(actor=coordinator, session=session, audience_quotas={A: 1})
    assert (
        "2" in str(exc.value.message_dict["audience_quotas"])
        and "分析师" in str(exc.value.message_dict["audience_quotas"])
        or "Futures analysts" in str(exc.value.message_dict["audience_quotas"])
    )
    # Three individuals fill the pool (4 - 2 = 2 seats): the capacity cannot drop to 3 then,
    # since the pool would hold 1 for 2 seated people.
    for p in people[2:4]:
        services.registration_create(actor=p, session=session, audience=I)
    with pytest.raises(ValidationError) as exc:
        services.session_update(actor=coordinator, session=session, capacity=4, audience_quotas={A: 3})
    assert "audience_quotas" in exc.value.message_dict
    session.refresh_from_db()
    assert session.audience_quotas == {A: 2} and session.capacity == 4
    _check_buckets(session)


@pytest.mark.parametrize(
    ("changes", "field", "needle"),
    [
        ({"audience_quotas": {A: 3, I: 2}}, "audience_quotas", "5"),  # sum 5 > capacity 4
        ({"audience_quotas": {A: -1}}, "audience_quotas", "0"),
        ({"audience_quotas": {A: "x"}}, "audience_quotas", ""),
        ({"audience_quotas": {Audience.INSTITUTIONS: 1}}, "audience_quotas", ""),  # not an audience of it
        ({"audience_quotas": ["analysts"]}, "audience_quotas", ""),
        ({"company_seat_limit": 0}, "company_seat_limit", ""),
        ({"company_seat_limit": -3}, "company_seat_limit", ""),
        ({"mode": "online", "platform": "腾讯会议", "capacity": None}, "audience_quotas", ""),
    ],
)
def test_bad_quota_input_names_the_field_and_saves_nothing(coordinator, quota_session, changes, field, needle):
    with pytest.raises(ValidationError) as exc:
        services.session_update(actor=coordinator, session=quota_session, **changes)
    assert field in exc.value.message_dict
    assert needle in " ".join(exc.value.message_dict[field])
    quota_session.refresh_from_db()
    assert quota_session.audience_quotas == {A: 1} and quota_session.company_seat_limit is None


def test_company_limit_waits_a_colleague_and_offers_when_one_leaves(make_session, series, org_a, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(series=series, date=day, capacity=3, company_seat_limit=1, publish=True)
    first = org_user(org_a, email="a1@member.example")
    second = org_user(org_a, email="a2@member.example")
    reg1 = services.registration_create(actor=first, session=session, audience=A)
    reg2 = services.registration_create(actor=second, session=session, audience=A)
    other = services.registration_create(actor=people[0], session=session, audience=I)
    assert _states([reg1, reg2, other]) == [R.CONFIRMED, R.WAITLISTED, R.CONFIRMED]
    # A later outsider takes the free seat: the colleague waits for the company's seat only.
    later = services.registration_create(actor=people[1], session=session, audience=I)
    assert later.state == R.CONFIRMED
    services.registration_cancel(actor=people[1], registration=later)
    assert _states([reg2]) == [R.WAITLISTED]
    services.registration_cancel(actor=first, registration=reg1)
    assert _states([reg2]) == [R.OFFERED]


def test_expired_offer_goes_to_the_next_of_the_same_quota(coordinator, make_session, series, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(series=series, date=day, capacity=2, audience_quotas={A: 1, I: 1}, publish=True)
    analysts = [services.registration_create(actor=p, session=session, audience=A) for p in people[:3]]
    individual = services.registration_create(actor=people[3], session=session, audience=I)
    waiting_individual = services.registration_create(actor=people[4], session=session, audience=I)
    services.registration_cancel(actor=people[0], registration=analysts[0])
    assert _states(analysts) == [R.CANCELLED, R.OFFERED, R.WAITLISTED]
    with freeze_time(timezone.now() + datetime.timedelta(days=20)):
        assert services.registration_offers_expire(actor=system_actor()) == 1
    assert _states(analysts + [individual, waiting_individual]) == [
        R.CANCELLED,
        R.EXPIRED,
        R.OFFERED,
        R.CONFIRMED,
        R.WAITLISTED,
    ]
    _check_buckets(session)


def test_approval_respects_the_quota(make_session, series, coordinator, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(
        series=series, date=day, capacity=3, audience_quotas={A: 1}, requires_approval=True, publish=True
    )
    regs = [services.registration_create(actor=p, session=session, audience=A) for p in people[:2]]
    assert _states(regs) == [R.PENDING, R.PENDING]
    services.registration_approve(actor=coordinator, registration=regs[0])
    services.registration_approve(actor=coordinator, registration=regs[1])
    assert _states(regs) == [R.CONFIRMED, R.WAITLISTED]


# --- bad input: services -------------------------------------------------------------------------


def test_unknown_or_missing_audience_is_refused(quota_session, people):
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=people[0], session=quota_session, audience="astronauts")
    assert exc.value.code == "unknown_audience" and "astronauts" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=people[0], session=quota_session, audience=Audience.INSTITUTIONS)
    assert exc.value.code == "unknown_audience"
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=people[0], session=quota_session)
    assert exc.value.code == "audience_required"
    assert not Registration.objects.filter(session=quota_session).exists()


def test_single_audience_is_taken_without_asking(make_session, series, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(series=series, date=day, audiences=[I], publish=True)
    assert services.registration_create(actor=people[0], session=session).audience == I


def test_full_without_waiting_list_is_refused_and_nothing_saved(make_session, series, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(series=series, date=day, capacity=1, waiting_list=False, publish=True)
    services.registration_create(actor=people[0], session=session, audience=I)
    mails = OutboxMessage.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.registration_create(actor=people[1], session=session, audience=I)
    assert exc.value.code == "session_full"
    assert Registration.objects.filter(session=session).count() == 1 and OutboxMessage.objects.count() == mails


# --- bad input: pages ----------------------------------------------------------------------------


def _register(client, user, session, **data):
    client.force_login(user)
    response = client.post(f"/events/sessions/{session.pk}/register/", data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


def test_pages_answer_every_bad_registration_with_a_message(client, make_session, series, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    session = make_session(series=series, date=day, capacity=1, audience_quotas={A: 1}, publish=True)
    body = _register(client, people[0], session, audience="<script>x</script>")
    assert "&lt;script&gt;" in body and "<script>x" not in body
    body = _register(client, people[0], session)
    assert "期货分析师" in body or "Futures analysts" in body
    assert not Registration.objects.filter(session=session).exists()
    _register(client, people[0], session, audience=A)
    assert Registration.objects.get(session=session).state == R.CONFIRMED
    body = _register(client, people[0], session, audience=A)  # twice
    assert "已报名" in body or "already registered" in body
    assert Registration.objects.filter(session=session).count() == 1
    # Over capacity: the waiting list.
    _register(client, people[1], session, audience=A)
    assert Registration.objects.get(session=session, person=people[1]).state == R.WAITLISTED
    # A malformed colleague id, a huge audience value: a message, never a 500.
    client.force_login(people[2])
    assert client.post(f"/events/sessions/{session.pk}/register/", {"person": "x1"}).status_code == 302
    assert client.post(f"/events/sessions/{session.pk}/register/", {"audience": "a" * 5000}).status_code == 302
    assert Registration.objects.filter(session=session).count() == 2


def test_page_after_close_and_full_without_waiting_list(client, make_session, series, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    closes = timezone.now() + datetime.timedelta(hours=1)
    session = make_session(
        series=series, date=day, capacity=1, waiting_list=False, registration_closes_at=closes, publish=True
    )
    _register(client, people[0], session, audience=I)
    body = _register(client, people[1], session, audience=I)
    assert "不设候补" in body or "no waiting list" in body
    with freeze_time(closes + datetime.timedelta(minutes=1)):
        body = _register(client, people[2], session, audience=I)
        assert "已截止" in body or "has closed" in body
    assert Registration.objects.filter(session=session).count() == 1


def test_public_page_asks_the_audience_only_when_there_is_a_choice(client, make_session, series, people):
    day = timezone.localdate() + datetime.timedelta(days=30)
    two = make_session(series=series, date=day, publish=True)
    one = make_session(series=series, date=day, title="只面向个人投资者", audiences=[I], publish=True)
    client.force_login(people[0])
    body = client.get(two.get_public_url()).content.decode()
    assert 'name="audience"' in body and "<select" in body and 'value="analysts"' in body
    body = client.get(one.get_public_url()).content.decode()
    assert '<input type="hidden" name="audience" value="individuals">' in body


def test_api_is_read_only(client, dept_staff, quota_session):
    """The API only reads: registering goes through the page (and its service)."""
    response = fetch(client, dept_staff, "/api/v1/events/sessions/", method="post", data={"title": "x"})
    assert response.status_code in (403, 405)
    data = assert_allowed(client, dept_staff, f"/api/v1/events/sessions/{quota_session.pk}/").json()
    assert data["id"] == quota_session.pk and data["capacity"] == 4


# --- the session form ----------------------------------------------------------------------------


def _form_data(session, **overrides):
    data = {
        "title": session.title,
        "date": session.date.isoformat(),
        "slot": session.slot,
        "mode": session.mode,
        "room": session.room,
        "address": session.address,
        "capacity": session.capacity,
        "topic_type": session.topic_type,
        "audiences": session.audiences,
        "programme": session.programme,
        "waiting_list": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_edit_quotas_in_the_session_form(client, coordinator, quota_session):
    login(client, coordinator)
    url = f"/events/sessions/{quota_session.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'name="quota_analysts"' in page and 'name="company_seat_limit"' in page
    response = client.post(url, _form_data(quota_session, quota_analysts=3, quota_individuals=2))
    assert response.status_code == 200
    assert "5" in response.content.decode() and (
        "超过" in response.content.decode() or "more than" in response.content.decode()
    )
    response = client.post(url, _form_data(quota_session, quota_analysts=-1))
    assert response.status_code == 200
    quota_session.refresh_from_db()
    assert quota_session.audience_quotas == {A: 1}
    response = client.post(url, _form_data(quota_session, quota_analysts=2, company_seat_limit=5))
    assert response.status_code == 302
    quota_session.refresh_from_db()
    assert quota_session.audience_quotas == {A: 2} and quota_session.company_seat_limit == 5
    assert quota_session.waiting_list is True
    # Emptying the field removes the quota.
    assert client.post(url, _form_data(quota_session)).status_code == 302
    quota_session.refresh_from_db()
    assert quota_session.audience_quotas == {}


def test_co_organiser_does_not_see_or_change_quotas(client, university_user, coordinator, training_session):
    services.session_update(
        actor=coordinator, session=training_session, audience_quotas={Audience.MEMBERS_PRACTITIONERS: 10}
    )
    url = f"/events/sessions/{training_session.pk}/edit/"
    page = fetch(client, university_user, url).content.decode()
    assert "quota_" not in page and "company_seat_limit" not in page
    with pytest.raises(ValidationError):
        services.session_update(actor=university_user, session=training_session, audience_quotas={})
    training_session.refresh_from_db()
    assert training_session.audience_quotas == {Audience.MEMBERS_PRACTITIONERS: 10}


def test_session_page_shows_seats_per_audience(client, coordinator, quota_session, people):
    services.registration_create(actor=people[0], session=quota_session, audience=A)
    services.registration_create(actor=people[1], session=quota_session, audience=I)
    login(client, coordinator)
    body = client.get(f"/events/sessions/{quota_session.pk}/").content.decode()
    assert "各受众席位" in body or "Seats per audience" in body
    assert "公共席位" in body or "Open pool" in body
    # analysts 1 of 1, the pool 1 of 3
    assert "<td>1</td><td>1</td>" in body and "<td>1</td><td>3</td>" in body
