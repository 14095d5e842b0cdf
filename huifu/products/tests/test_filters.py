"""The product list's filters are declared once (products/filters.py): the page and the API give
the same products for the same parameters and name a bad value."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'href="/products/([\w-]+)/"'


@pytest.mark.parametrize("query", ["?exchange=subsidiary", "?kind=option&exchange=main", "?q=铜", "?q=cu&kind=futures"])
def test_page_and_api_filter_the_same_way(client, catalogue, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(
        client,
        page_url=reverse("products:list"),
        api_url="/api/v1/products/",
        query=query,
        pattern=ROW,
        key="code",
    )
    assert rows and len(rows) < len(catalogue)


@pytest.mark.parametrize(("field", "value"), [("exchange", "NYSE"), ("kind", "swap")])
def test_a_bad_value_is_named(client, catalogue, member_a_admin, field, value):
    login(client, member_a_admin)
    assert_bad_value_named(
        client, page_url=reverse("products:list"), api_url="/api/v1/products/", field=field, value=value
    )
