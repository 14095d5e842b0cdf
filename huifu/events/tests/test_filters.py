"""The session list's filters are declared once (events/filters.py): the page and the API give the
same sessions for the same parameters, a co-organising university never reaches another
organiser's session through them, and a bad year is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows
from huifu.events.tests.conftest import WORKDAY

pytestmark = pytest.mark.django_db

ROW = r'<td><a href="/events/sessions/(\d+)/"'
API = "/api/v1/events/sessions/"


@pytest.fixture
def sessions(make_session, training_session, other_university):
    return {"talk": make_session(co_organisers=[other_university]), "training": training_session}


@pytest.mark.parametrize("query", ["", f"?year={WORKDAY.year}", f"?year={WORKDAY.year + 5}"])
def test_page_and_api_filter_the_same_way(client, sessions, coordinator, query):
    login(client, coordinator)
    rows = assert_same_rows(client, page_url=reverse("events:session_list"), api_url=API, query=query, pattern=ROW)
    assert len(rows) == (0 if str(WORKDAY.year + 5) in query else 2)


@pytest.mark.parametrize("query", ["", f"?year={WORKDAY.year}"])
def test_a_partner_never_reaches_another_organisers_session(
    client, sessions, university_user, other_university_user, query
):
    login(client, university_user)
    rows = assert_same_rows(client, page_url=reverse("events:session_list"), api_url=API, query=query, pattern=ROW)
    assert rows == {str(sessions["training"].pk)}
    login(client, other_university_user)
    rows = assert_same_rows(client, page_url=reverse("events:session_list"), api_url=API, query=query, pattern=ROW)
    assert rows == {str(sessions["talk"].pk)}


@pytest.mark.parametrize("value", ["abc", "1999", "2025.5"])
def test_a_bad_year_is_named(client, sessions, coordinator, value):
    login(client, coordinator)
    assert_bad_value_named(client, page_url=reverse("events:session_list"), api_url=API, field="year", value=value)
