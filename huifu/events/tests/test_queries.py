"""Query counts of the list pages do not grow with the rows shown."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from huifu.core.testing.access import assert_constant_queries, fetch
from huifu.core.testing.factories import UserFactory, org_user
from huifu.events import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def future_series(coordinator):
    day = timezone.localdate() + datetime.timedelta(days=30)
    return day, services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="查询计数")


def test_public_list_and_management_list_constant(client, coordinator, make_session, future_series):
    day, series = future_series
    speakers = [services.speaker_create(actor=coordinator, name=f"嘉宾{i}") for i in range(2)]
    make_session(series=series, date=day, publish=True).speakers.set(speakers)

    def grow():
        for _ in range(3):
            make_session(series=series, date=day, publish=True).speakers.set(speakers)

    client.logout()
    assert_constant_queries(client, "/events/public/", grow)
    fetch(client, coordinator, "/events/")
    assert_constant_queries(client, "/events/", grow)


def test_my_registrations_and_session_detail_constant(client, coordinator, make_session, future_series, member_a_admin):
    day, series = future_series
    session = make_session(series=series, date=day, capacity=50, publish=True)
    colleagues = [org_user(member_a_admin.organisation, email=f"q{i}@alpha.example") for i in range(4)]
    services.registration_create(actor=member_a_admin, session=session)

    def grow():
        for person in colleagues:
            services.registration_create(actor=member_a_admin, session=session, person=person)

    fetch(client, member_a_admin, "/events/my/")
    assert_constant_queries(client, "/events/my/", grow)
    fetch(client, coordinator, session.get_absolute_url())
    public = iter(UserFactory(email=f"pub{i}@example.com") for i in range(6))

    def grow_public():
        for _ in range(3):
            services.registration_create(actor=next(public), session=session)

    assert_constant_queries(client, session.get_absolute_url(), grow_public)
