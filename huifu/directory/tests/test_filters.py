"""The organisation list's filters are declared once (directory/filters.py): the page and the API
give the same organisations for the same parameters, a member never reaches another company
through them, and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'<td><a href="/directory/organisations/(\d+)/"'
API = "/api/v1/directory/organisations/"


@pytest.mark.parametrize(
    "query", ["", "?q=乙期货", "?q=0101", "?region=zhejiang", "?kind=futures_company&status=active", "?kind=university"]
)
def test_page_and_api_filter_the_same_way(client, org_a, org_b, association, coordinator, query):
    login(client, coordinator)
    rows = assert_same_rows(
        client, page_url=reverse("directory:organisation_list"), api_url=API, query=query, pattern=ROW
    )
    if query.startswith("?q=") or query == "?region=zhejiang":
        assert rows == {str(org_b.pk) if "乙" in query or "zhejiang" in query else str(org_a.pk)}


@pytest.mark.parametrize("query", ["", "?q=乙期货", "?region=zhejiang", "?kind=futures_company"])
def test_a_member_never_reaches_another_company(client, org_a, org_b, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(
        client, page_url=reverse("directory:organisation_list"), api_url=API, query=query, pattern=ROW
    )
    assert str(org_b.pk) not in rows


@pytest.mark.parametrize(("field", "value"), [("kind", "bank"), ("status", "x"), ("region", "mars")])
def test_a_bad_value_is_named(client, org_a, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(
        client, page_url=reverse("directory:organisation_list"), api_url=API, field=field, value=value
    )
