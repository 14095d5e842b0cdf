"""The activity list's filters are declared once (activities/filters.py): the page and the API give
the same activities for the same parameters, a member never reaches another company's activity
through them, and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'<td><a href="/activities/(\d+)/"'
API = "/api/v1/activities/"


@pytest.fixture
def activities(make_activity, member_a_admin, member_b_admin, forum_type):
    return {
        "a": make_activity(member_a_admin),
        "a_draft": make_activity(member_a_admin, submit=False, title="铜期权培训会"),
        "b": make_activity(member_b_admin, title="乙期货橡胶产业论坛"),
        "year": forum_type.year,
    }


@pytest.mark.parametrize(
    "query", ["", "?status=submitted", "?status=draft", "?q=橡胶", "?q=乙期货", "?year={year}&q=有色", "?year=2001"]
)
def test_page_and_api_filter_the_same_way(client, activities, coordinator, query):
    login(client, coordinator)
    query = query.format(year=activities["year"])
    rows = assert_same_rows(client, page_url=reverse("activities:list"), api_url=API, query=query, pattern=ROW)
    if query.startswith("?q="):
        assert rows == {str(activities["b"].pk)}


@pytest.mark.parametrize("query", ["", "?q=橡胶", "?q=乙期货", "?status=submitted"])
def test_a_member_never_reaches_another_companys_activity(client, activities, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(client, page_url=reverse("activities:list"), api_url=API, query=query, pattern=ROW)
    assert str(activities["b"].pk) not in rows


@pytest.mark.parametrize(("field", "value"), [("status", "lost"), ("year", "abc"), ("year", "20x5")])
def test_a_bad_value_is_named(client, activities, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(client, page_url=reverse("activities:list"), api_url=API, field=field, value=value)
