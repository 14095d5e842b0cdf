"""Waiting list: order, offers with a working-day deadline (an offer made on the eve of the
National Day holiday does not expire during it), the expiry cascade, leaving at every stage,
capacity raised, no offers after registration closes, capacity never exceeded."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from freezegun import freeze_time

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.core.testing.factories import UserFactory
from huifu.events import selectors, services
from huifu.events.models import Registration, RegistrationState
from huifu.outbox.models import OutboxMessage
from huifu.workdays.services import is_working_day

pytestmark = pytest.mark.django_db
R = RegistrationState
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
EVE = datetime.datetime(2026, 9, 30, 10, 0, tzinfo=SH)  # Wednesday before the National Day holiday
SESSION_DAY = datetime.date(2026, 10, 15)


@pytest.fixture
def people(db):
    return [UserFactory(email=f"p{i}@example.com", full_name=f"投资者{i}") for i in range(5)]


@pytest.fixture
def full_session(coordinator, talk_series, make_session, people):
    """One seat; people[0] seated, people[1..3] waiting in that order (registered on the eve)."""
    with freeze_time(EVE - datetime.timedelta(hours=1)):
        session = make_session(date=SESSION_DAY, capacity=1, publish=True)
        regs = [services.registration_create(actor=p, session=session) for p in people[:4]]
    return session, regs


def _state(reg):
    reg.refresh_from_db()
    return reg.state


def test_order_offer_across_the_holiday_and_expiry_cascade(full_session, people):
    session, (seated, first, second, third) = full_session
    assert [_state(r) for r in (seated, first, second, third)] == [
        R.CONFIRMED,
        R.WAITLISTED,
        R.WAITLISTED,
        R.WAITLISTED,
    ]
    with freeze_time(EVE):
        services.registration_cancel(actor=people[0], registration=seated)
    first.refresh_from_db()
    assert first.state == R.OFFERED
    deadline = first.offer_expires_at.astimezone(SH)
    # Offered on 09-30: the deadline is the end of the first working day after the holiday.
    assert deadline.date() > datetime.date(2026, 10, 7) and is_working_day(deadline.date())
    assert all(not is_working_day(datetime.date(2026, 10, d)) for d in range(1, 8))
    assert OutboxMessage.objects.filter(to=people[1].email, subject__contains="候补").exists()
    # During the holiday the sweep expires nothing.
    with freeze_time(datetime.datetime(2026, 10, 6, 12, 0, tzinfo=SH)):
        assert services.registration_offers_expire(actor=system_actor()) == 0
    assert _state(first) == R.OFFERED
    # After the deadline: expired, the seat goes to the next in line.
    with freeze_time(deadline + datetime.timedelta(minutes=1)):
        assert services.registration_offers_expire(actor=system_actor()) == 1
        with pytest.raises(ValidationError) as exc:
            services.registration_offer_accept(actor=people[1], registration=first)
        assert exc.value.code == "illegal_transition"
    assert _state(first) == R.EXPIRED and _state(second) == R.OFFERED and _state(third) == R.WAITLISTED
    with freeze_time(deadline + datetime.timedelta(hours=1)):
        assert services.registration_offer_accept(actor=people[2], registration=second).state == R.CONFIRMED
    assert selectors.seats_taken(session=session) == 1
    history = AuditEvent.objects.filter(target_type__model="registration", target_id=str(first.pk))
    assert list(history.order_by("pk").values_list("changes__status", flat=True).exclude(changes__status=None)) == [
        ["waitlisted", "offered"],
        ["offered", "expired"],
    ]


def test_leave_at_every_stage(full_session, people):
    session, (seated, first, second, third) = full_session
    with freeze_time(EVE):
        services.registration_cancel(actor=people[3], registration=third)  # leaves while waiting
        services.registration_cancel(actor=people[0], registration=seated)  # frees the seat
        assert _state(first) == R.OFFERED
        services.registration_cancel(actor=people[1], registration=first)  # declines the offer
    assert _state(second) == R.OFFERED and _state(third) == R.CANCELLED
    assert selectors.seats_taken(session=session) == 1


def test_capacity_raised_offers_in_order(full_session, coordinator):
    session, (seated, first, second, third) = full_session
    with freeze_time(EVE):
        services.session_update(actor=coordinator, session=session, capacity=3)
    assert [_state(r) for r in (first, second, third)] == [R.OFFERED, R.OFFERED, R.WAITLISTED]
    assert selectors.seats_taken(session=session) == 3


def test_no_offers_after_registration_closed(full_session, people):
    session, (seated, first, *_rest) = full_session
    with freeze_time(datetime.datetime(2026, 10, 15, 13, 31, tzinfo=SH)):  # the session has started
        services.registration_cancel(actor=people[0], registration=seated)
    assert _state(first) == R.WAITLISTED


def test_offer_deadline_never_after_closing(coordinator, full_session, people):
    session, (seated, first, *_rest) = full_session
    closes = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=SH)
    with freeze_time(EVE):
        services.session_update(actor=coordinator, session=session, registration_closes_at=closes)
        services.registration_cancel(actor=people[0], registration=seated)
    first.refresh_from_db()
    assert first.offer_expires_at == closes


def test_sweep_command_and_permission(full_session, people, dept_staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.registration_offers_expire(actor=dept_staff)
    with pytest.raises(PermissionDenied):
        services.registration_offers_expire(actor=None)
    call_command("events_expire_offers")
    assert Registration.objects.filter(state=R.EXPIRED).count() == 0


def test_accept_page(client, full_session, people):
    from huifu.core.testing.access import assert_allowed, assert_denied

    session, (seated, first, *_rest) = full_session
    with freeze_time(EVE):
        services.registration_cancel(actor=people[0], registration=seated)
    assert_denied(client, people[2], f"/events/registrations/{first.pk}/accept/", method="post", codes=(404,))
    assert _state(first) == R.OFFERED
    with freeze_time(EVE + datetime.timedelta(hours=1)):
        assert_allowed(client, people[1], f"/events/registrations/{first.pk}/accept/", method="post", ok=(302,))
    assert _state(first) == R.CONFIRMED


def test_offer_period_is_series_data(coordinator, full_session, people):
    from huifu.workdays.services import add_working_days

    session, (seated, first, *_rest) = full_session
    series = session.series
    services.series_update(
        actor=coordinator,
        series=series,
        year=series.year,
        kind=series.kind,
        title_zh=series.title_zh,
        offer_working_days=2,
    )
    with freeze_time(EVE):
        services.registration_cancel(actor=people[0], registration=seated)
    first.refresh_from_db()
    assert first.offer_expires_at.astimezone(SH).date() == add_working_days(EVE.date(), 2).date
