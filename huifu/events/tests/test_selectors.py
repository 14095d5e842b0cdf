"""Scoping: staff see all, a co-organiser only its sessions, the public only published ones; the
year plan shows a month without a talk as a gap."""

from __future__ import annotations

import datetime

import pytest

from huifu.events import selectors, services
from huifu.events.models import SessionState

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_co_organiser_sees_only_its_sessions(
    training_session, make_session, university_user, other_university_user, dept_staff, member_a_admin, regulator
):
    talk = make_session()
    assert set(selectors.session_list(user=dept_staff)) == {training_session, talk}
    assert list(selectors.session_list(user=university_user)) == [training_session]
    assert list(selectors.session_list(user=other_university_user)) == []
    assert list(selectors.session_list(user=member_a_admin)) == []
    assert list(selectors.session_list(user=regulator)) == []


def test_public_lists_only_published(make_session, coordinator):
    today = datetime.date(YEAR, 6, 1)
    past = make_session(date=datetime.date(YEAR, 3, 19), publish=True)
    upcoming = make_session(date=datetime.date(YEAR, 6, 18), publish=True)
    make_session(date=datetime.date(YEAR, 7, 16))  # draft
    cancelled = services.session_cancel(
        actor=coordinator, session=make_session(date=datetime.date(YEAR, 8, 20), publish=True), reason="改期"
    )
    assert list(selectors.public_session_list(when="upcoming", today=today)) == [upcoming]
    assert list(selectors.public_session_list(when="past", today=today)) == [past]
    assert cancelled.state == SessionState.CANCELLED


def test_plan_shows_months_without_a_talk_as_gaps(make_session, coordinator, dept_staff, talk_series):
    for month in range(1, 13):
        if month != 2:
            make_session(date=datetime.date(YEAR, month, 10 if month != 5 else 12))
    services.session_cancel(
        actor=coordinator,
        session=services.session_publish(actor=coordinator, session=talk_series.sessions.get(date__month=8)),
        reason="台风",
    )
    months = selectors.series_plan(user=dept_staff, series=talk_series)
    assert [m.month for m in months if m.gap] == [2, 8]


def test_training_plan_has_no_gaps(training_session, dept_staff, training_series):
    assert not any(m.gap for m in selectors.series_plan(user=dept_staff, series=training_series))
