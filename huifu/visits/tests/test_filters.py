"""The visit list's filters are declared once (visits/filters.py): the page and the API give the
same visits for the same parameters, a member never reaches another company's visit through them,
and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'href="/visits/(\d+)/"'
API = "/api/v1/visits/"


@pytest.fixture
def two_companies(make_visit, member_b_admin):
    a = make_visit(purpose="交流期权做市业务")
    b = make_visit(actor=member_b_admin, purpose="乙公司交割仓库参观")
    return a, b


@pytest.mark.parametrize("query", ["", "?status=requested", "?q=参观", "?q=甲期货&status=requested", "?status=held"])
def test_page_and_api_filter_the_same_way(client, official_calendar, two_companies, coordinator, query):
    login(client, coordinator)
    rows = assert_same_rows(client, page_url=reverse("visits:list"), api_url=API, query=query, pattern=ROW)
    a, b = two_companies
    if query.startswith("?q="):
        assert rows == {str(b.pk) if "参观" in query else str(a.pk)}


@pytest.mark.parametrize("query", ["?q=乙期货", "?q=参观", ""])
def test_a_member_never_reaches_another_companys_visit(client, official_calendar, two_companies, member_a_admin, query):
    a, b = two_companies
    login(client, member_a_admin)
    rows = assert_same_rows(client, page_url=reverse("visits:list"), api_url=API, query=query, pattern=ROW)
    assert str(b.pk) not in rows


def test_a_bad_status_is_named(client, official_calendar, two_companies, coordinator):
    login(client, coordinator)
    assert_bad_value_named(client, page_url=reverse("visits:list"), api_url=API, field="status", value="nope")
