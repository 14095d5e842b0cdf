"""The case list's filters are declared once (cases/filters.py): the page and the API give the same
cases for the same parameters, a reader never reaches a draft or a case not addressed to them
through them, and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huifu.cases.models import CaseAudience
from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'<td><a href="/cases/(\d+)/"'
API = "/api/v1/cases/"


@pytest.fixture
def cases(make_case):
    return {
        "copper": make_case(title="铜企套保案例"),
        "rebar": make_case(title="螺纹钢基差贸易", industry="黑色金属", products=["螺纹钢"]),
        "members": make_case(
            title="会员服务案例", audience=CaseAudience.MEMBERS, industry="金融服务", products=["原油"]
        ),
        "draft": make_case(title="铜期权草稿", publish=False),
    }


@pytest.mark.parametrize("query", ["", "?q=基差", "?industry=有色", "?product=螺纹钢", "?q=铜&product=铜"])
def test_reader_page_and_api_filter_the_same_way(client, cases, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(client, page_url=reverse("cases:list"), api_url=API, query=query, pattern=ROW)
    assert str(cases["draft"].pk) not in rows
    if query:
        assert len(rows) == 1


@pytest.mark.parametrize("query", ["", "?status=draft", "?q=铜", "?audience=members&status=published"])
def test_manager_page_and_api_filter_the_same_way(client, cases, coordinator, query):
    login(client, coordinator)
    rows = assert_same_rows(client, page_url=reverse("cases:list"), api_url=API, query=query, pattern=ROW)
    if query == "?status=draft":
        assert rows == {str(cases["draft"].pk)}


@pytest.mark.parametrize("query", ["?status=draft", "?audience=members", "?q=会员服务"])
def test_a_reader_never_reaches_what_is_not_addressed_to_them(client, cases, public_user, query):
    login(client, public_user)
    rows = assert_same_rows(client, page_url=reverse("cases:list"), api_url=API, query=query, pattern=ROW)
    assert str(cases["draft"].pk) not in rows and str(cases["members"].pk) not in rows


@pytest.mark.parametrize(("field", "value"), [("status", "archived"), ("audience", "everyone")])
def test_a_bad_value_is_named(client, cases, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(client, page_url=reverse("cases:list"), api_url=API, field=field, value=value)
