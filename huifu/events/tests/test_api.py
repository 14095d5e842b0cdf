"""API: scoped like the pages; the link only to those who may see the session."""

from __future__ import annotations

import pytest

from huifu.core.testing.access import assert_allowed, assert_denied

pytestmark = pytest.mark.django_db


def test_api_scoping(client, dept_staff, university_user, other_university_user, training_session, make_session):
    talk = make_session()
    data = assert_allowed(client, dept_staff, "/api/v1/events/sessions/").json()
    assert {row["id"] for row in data["results"]} == {training_session.pk, talk.pk}
    data = assert_allowed(client, university_user, "/api/v1/events/sessions/").json()
    assert [row["id"] for row in data["results"]] == [training_session.pk]
    assert_denied(client, other_university_user, "/api/v1/events/sessions/")
    assert_denied(client, university_user, f"/api/v1/events/sessions/{talk.pk}/", codes=(404,))
    detail = assert_allowed(client, university_user, f"/api/v1/events/sessions/{training_session.pk}/").json()
    assert detail["title"] == training_session.title and detail["warnings"] == []


def test_api_anonymous_401(client, training_session):
    assert_denied(client, None, "/api/v1/events/sessions/")
