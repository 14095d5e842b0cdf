"""Cancellations, capacity changes, new sign-ups and the sweep at the same moment never put more
people in seats than the session has, and offers follow the waiting-list order. On PostgreSQL the
calls run in parallel threads with their own connections (the session row lock serialises them);
on SQLite they run one after the other."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huifu.accounts.system import system_actor
from huifu.core.testing.concurrency import race
from huifu.core.testing.factories import UserFactory
from huifu.events import selectors, services
from huifu.events.models import Registration, RegistrationState

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
R = RegistrationState


def test_capacity_never_exceeded_under_concurrent_changes(coordinator, make_session):
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="并发测试")
    session = make_session(series=series, date=day, capacity=5, publish=True)
    people = [UserFactory(email=f"c{i}@example.com", full_name=f"并发{i}") for i in range(25)]
    seated = [services.registration_create(actor=p, session=session) for p in people[:5]]
    waiting = [services.registration_create(actor=p, session=session) for p in people[5:15]]
    assert {r.state for r in seated} == {R.CONFIRMED} and {r.state for r in waiting} == {R.WAITLISTED}

    calls = [lambda r=r, p=p: services.registration_cancel(actor=p, registration=r) for r, p in zip(seated, people)]
    calls += [lambda p=p: services.registration_create(actor=p, session=session) for p in people[15:25]]
    calls += [
        lambda: services.session_update(actor=coordinator, session=session, capacity=7),
        lambda: services.session_update(actor=coordinator, session=session, capacity=6),
        lambda: services.registration_offers_expire(actor=system_actor()),
        lambda: services.registration_offers_expire(actor=system_actor()),
    ]
    results = race(*calls)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected

    session.refresh_from_db()
    taken = selectors.seats_taken(session=session)
    assert taken <= session.capacity
    regs = list(Registration.objects.filter(session=session).order_by("created_at", "pk"))
    # Every sign-up is accounted for: seated, waiting or cancelled; nobody is lost.
    assert len(regs) == 25
    assert {r.state for r in regs} <= {R.CONFIRMED, R.OFFERED, R.WAITLISTED, R.CANCELLED}
    # Seats were filled up to capacity while anyone was waiting...
    still_waiting = [r for r in regs if r.state == R.WAITLISTED]
    if still_waiting:
        assert taken == session.capacity
    # ...and in waiting-list order: nobody offered a seat registered after someone still waiting.
    offered = [r for r in regs if r.state == R.OFFERED]
    if offered and still_waiting:
        assert max((r.created_at, r.pk) for r in offered) < min((r.created_at, r.pk) for r in still_waiting)


def test_last_seat_goes_to_exactly_one_of_many(coordinator, make_session):
    """Twenty people sign up at the same moment for the last free seat: one gets it, nineteen wait."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="最后一个座位")
    session = make_session(series=series, date=day, capacity=3, publish=True)
    people = [UserFactory(email=f"l{i}@example.com", full_name=f"抢座{i}") for i in range(22)]
    for p in people[:2]:
        services.registration_create(actor=p, session=session)
    results = race(*[lambda p=p: services.registration_create(actor=p, session=session) for p in people[2:]])
    assert all(isinstance(r, Registration) for r in results), results
    assert sorted(r.state for r in results).count(R.CONFIRMED) == 1
    assert selectors.seats_taken(session=session) == 3


def test_two_desks_scan_the_same_ticket_at_once(coordinator, dept_staff, make_session):
    from huifu.events.models import CheckIn
    from huifu.events.tickets import ticket_token

    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="双台签到")
    session = make_session(series=series, date=day, capacity=5, publish=True)
    registration = services.registration_create(actor=UserFactory(email="d@example.com"), session=session)
    token = ticket_token(registration)
    results = race(
        *[
            lambda desk=desk: services.checkin_record(actor=dept_staff, session=session, desk=desk, token=token)
            for desk in ("1号台", "2号台", "3号台")
        ]
    )
    assert sorted(r.already for r in results) == [False, True, True], results
    assert CheckIn.objects.filter(registration=registration).count() == 1
    assert len({r.check_in.desk for r in results}) == 1


def test_quotas_and_company_limit_never_exceeded_under_concurrent_changes(coordinator, make_session, org_a):
    """Seats per audience (analysts 3, the rest in the open pool) and at most 2 per company, while
    cancellations, sign-ups, quota and capacity changes and two sweeps run at once: no bucket, no
    company and not the capacity is ever exceeded, and a seat left free has nobody eligible waiting."""
    from huifu.core.testing.factories import org_user
    from huifu.events.models import Audience
    from huifu.events.services.registrations import POOL, SeatPlan, bucket_of

    analysts, individuals = Audience.ANALYSTS, Audience.INDIVIDUALS
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="配额并发")
    session = make_session(
        series=series, date=day, capacity=8, audience_quotas={analysts: 3}, company_seat_limit=2, publish=True
    )
    colleagues = [org_user(org_a, email=f"m{i}@alpha.example", full_name=f"会员{i}") for i in range(4)]
    public = [UserFactory(email=f"qa{i}@example.com", full_name=f"公众{i}") for i in range(16)]
    first = (
        [(p, analysts) for p in public[:5]]
        + [(p, individuals) for p in public[5:11]]
        + [(c, individuals) for c in colleagues[:3]]
    )
    regs = [(p, services.registration_create(actor=p, session=session, audience=a)) for p, a in first]
    assert [r.state for _, r in regs].count(R.CONFIRMED) == 8

    seated = [(p, r) for p, r in regs if r.state == R.CONFIRMED]
    calls = [lambda r=r, p=p: services.registration_cancel(actor=p, registration=r) for p, r in seated[::2]]
    calls += [
        lambda p=p, a=a: services.registration_create(actor=p, session=session, audience=a)
        for p, a in [
            (public[11], analysts),
            (public[12], individuals),
            (public[13], analysts),
            (colleagues[3], analysts),
        ]
    ]
    calls += [
        lambda: services.session_update(actor=coordinator, session=session, audience_quotas={analysts: 4}),
        lambda: services.session_update(actor=coordinator, session=session, audience_quotas={analysts: 2}),
        lambda: services.session_update(actor=coordinator, session=session, capacity=9),
        lambda: services.session_update(actor=coordinator, session=session, company_seat_limit=3),
        lambda: services.registration_offers_expire(actor=system_actor()),
        lambda: services.registration_offers_expire(actor=system_actor()),
    ]
    results = race(*calls)
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert not unexpected, unexpected

    session.refresh_from_db()
    plan = SeatPlan(session)
    for bucket, size in plan.sizes.items():
        assert plan.used[bucket] <= size, (bucket, plan.used, plan.sizes)
    assert selectors.seats_taken(session=session) <= session.capacity
    assert all(n <= session.company_seat_limit for n in plan.per_org.values()), plan.per_org
    waiting = list(Registration.objects.filter(session=session, state=R.WAITLISTED).order_by("created_at", "pk"))
    for reg in waiting:
        # Whoever still waits has no free seat in their bucket, or their company is at its limit.
        assert not plan.has_seat(reg.audience, reg.organisation_id), (reg.audience, plan.used, plan.sizes)
    offered = list(Registration.objects.filter(session=session, state=R.OFFERED))
    for reg in offered:
        # Nobody was offered a seat ahead of an earlier person of the same bucket without a company.
        bucket = bucket_of(session, reg.audience)
        earlier = [
            w
            for w in waiting
            if bucket_of(session, w.audience) == bucket
            and (w.created_at, w.pk) < (reg.created_at, reg.pk)
            and w.organisation_id is None  # (a colleague may have waited for their company's seat)
        ]
        assert not earlier, (reg, earlier)
    assert POOL in plan.sizes


def _hold_session_lock(session, mode: str):
    """Another connection that holds the session row ``FOR <mode>`` until closed (a sign-up or a
    cancellation in flight)."""
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    holder = psycopg.connect(**{k: v for k, v in params.items() if k in {"dbname", "user", "host", "port", "password"}})
    holder.execute(f"SELECT 1 FROM events_session WHERE id = %s FOR {mode}", [session.pk])
    return holder


def _in_thread(call):
    """``call()`` in a thread with its own connection and a 3 s lock timeout: a sign-up that
    waited for a lock it should not need fails instead of hanging the suite."""
    import threading

    from django.db import connection, connections

    out: list = []

    def run():
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '3s'")
            out.append(call())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return out[0]


def test_waitlist_signups_of_a_full_session_do_not_queue_behind_each_other(coordinator, make_session):
    """Flash crowd: once the session is full, a sign-up goes onto the waiting list under a share
    lock, so it does not wait for another sign-up still in flight (a share lock held elsewhere);
    a sign-up that would take a seat, or a cancellation, still waits for it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row share locks: PostgreSQL only (SQLite serialises every write)")
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="候补不排队")
    session = make_session(series=series, date=day, capacity=1, publish=True)
    people = [UserFactory(email=f"w{i}@example.com", full_name=f"候补{i}") for i in range(4)]
    seated = services.registration_create(actor=people[0], session=session)
    assert seated.state == R.CONFIRMED

    holder = _hold_session_lock(session, "SHARE")
    try:
        waiting = _in_thread(lambda: services.registration_create(actor=people[1], session=session))
        assert isinstance(waiting, Registration) and waiting.state == R.WAITLISTED, waiting
        # Freeing a seat takes the exclusive lock: it waits for the sign-up in flight (and times out here).
        refused = _in_thread(lambda: services.registration_cancel(actor=people[0], registration=seated))
        assert isinstance(refused, Exception) and "lock timeout" in str(refused), refused
    finally:
        holder.close()

    seated.refresh_from_db()
    assert seated.state == R.CONFIRMED  # the timed-out cancellation changed nothing
    services.registration_cancel(actor=people[0], registration=seated)
    waiting.refresh_from_db()
    assert waiting.state == R.OFFERED  # the first in line gets the freed seat
    # With a seat free, the share-locked attempt steps back and the seat is taken under the
    # exclusive lock: a share lock held elsewhere makes that sign-up wait (and time out here).
    services.session_update(actor=coordinator, session=session, capacity=3)
    holder = _hold_session_lock(session, "SHARE")
    try:
        blocked = _in_thread(lambda: services.registration_create(actor=people[2], session=session))
        assert isinstance(blocked, Exception) and "lock timeout" in str(blocked), blocked
    finally:
        holder.close()
    assert not Registration.objects.filter(session=session, person=people[2]).exists()
    assert services.registration_create(actor=people[2], session=session).state == R.CONFIRMED


def test_waiting_list_order_agrees_with_ids_when_many_queue_at_once(coordinator, make_session):
    """Thirty sign-ups onto the waiting list at the same moment: the line (created_at, id) is the
    id order, so "first in line" means the same thing in every query."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="候补顺序")
    session = make_session(series=series, date=day, capacity=2, publish=True)
    people = [UserFactory(email=f"o{i}@example.com", full_name=f"排队{i}") for i in range(32)]
    for p in people[:2]:
        services.registration_create(actor=p, session=session)
    results = race(*[lambda p=p: services.registration_create(actor=p, session=session) for p in people[2:]])
    assert all(isinstance(r, Registration) and r.state == R.WAITLISTED for r in results), results
    line = list(Registration.objects.filter(session=session, state=R.WAITLISTED).order_by("created_at", "pk"))
    assert [r.pk for r in line] == sorted(r.pk for r in line)
    assert len(line) == 30


def test_same_person_twice_at_once_onto_the_waiting_list(coordinator, make_session):
    """Two requests of one person for a full session at the same moment: one place in line, the
    other refused as a duplicate; the refusal leaves nothing locked, so the next sign-up of the
    session goes through (on a pooled connection a forgotten lock would stop them all)."""
    day = timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="重复候补")
    session = make_session(series=series, date=day, capacity=1, publish=True)
    first, twice, later = (UserFactory(email=f"d{i}@example.com", full_name=f"重复{i}") for i in range(3))
    services.registration_create(actor=first, session=session)
    results = race(*[lambda: services.registration_create(actor=twice, session=session) for _ in range(4)])
    kept = [r for r in results if isinstance(r, Registration)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(kept) == 1 and kept[0].state == R.WAITLISTED, results
    assert len(refused) == 3 and all(e.code == "already_registered" for e in refused), results
    nxt = _in_thread(lambda: services.registration_create(actor=later, session=session))
    assert isinstance(nxt, Registration) and nxt.state == R.WAITLISTED, nxt
    assert Registration.objects.filter(session=session, person=twice).count() == 1
