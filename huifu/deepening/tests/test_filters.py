"""The plan list's filters are declared once (deepening/filters.py): the page and the API give the
same plans for the same parameters, a member never reaches another company's plan through them,
and a bad value is named."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.auth import login
from huifu.core.testing.filters import assert_bad_value_named, assert_same_rows

pytestmark = pytest.mark.django_db

ROW = r'href="/deepening/plans/(\d+)/"'
API = "/api/v1/deepening/plans/"


@pytest.fixture
def plans(make_plan, ent_jiangxi, ent_yunnan, member_b_admin):
    a = make_plan(enterprises=[ent_jiangxi], submit=True)
    a_draft = make_plan(title="橡胶产业深耕计划")
    b = make_plan(enterprises=[ent_yunnan], actor=member_b_admin, title="乙期货云南计划", submit=True)
    return {"a": a, "a_draft": a_draft, "b": b}


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?status=submitted",
        "?status=draft",
        "?q=江西某铜业",
        "?q=乙期货",
        "?year={year}&q=橡胶产业",
        "?situation=willing",
    ],
)
def test_page_and_api_filter_the_same_way(client, plans, coordinator, query):
    login(client, coordinator)
    query = query.format(year=timezone.localdate().year)
    rows = assert_same_rows(client, page_url=reverse("deepening:plan_list"), api_url=API, query=query, pattern=ROW)
    assert rows
    if "q=" in query:
        assert len(rows) == 1


@pytest.mark.parametrize("query", ["", "?q=乙期货", "?q=云南某橡胶", "?status=submitted"])
def test_a_member_never_reaches_another_companys_plan(client, plans, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(client, page_url=reverse("deepening:plan_list"), api_url=API, query=query, pattern=ROW)
    assert str(plans["b"].pk) not in rows


@pytest.mark.parametrize(
    ("field", "value"), [("status", "lost"), ("year", "2025.5"), ("year", "1900"), ("situation", "x")]
)
def test_a_bad_value_is_named(client, plans, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(client, page_url=reverse("deepening:plan_list"), api_url=API, field=field, value=value)


PROFILE_ROW = r'href="/deepening/enterprises/(\d+)/"'
PROFILES = "/api/v1/deepening/enterprises/"


@pytest.fixture
def profiles(make_profile, ent_jiangxi, ent_shanghai, ent_yunnan, member_b_admin):
    return {
        "jiangxi": make_profile(ent_jiangxi),
        "shanghai": make_profile(ent_shanghai, situation="obstacle"),
        "b": make_profile(ent_yunnan, actor=member_b_admin, industry="橡胶加工"),
    }


@pytest.mark.parametrize(
    "query", ["", "?situation=obstacle", "?region=jiangxi", "?q=橡胶", "?q=铜业&situation=willing"]
)
def test_profile_page_and_api_filter_the_same_way(client, profiles, coordinator, query):
    login(client, coordinator)
    rows = assert_same_rows(
        client, page_url=reverse("deepening:profile_list"), api_url=PROFILES, query=query, pattern=PROFILE_ROW
    )
    assert rows
    if query:
        assert len(rows) == 1


@pytest.mark.parametrize("query", ["", "?q=橡胶", "?region=yunnan"])
def test_a_member_never_reaches_another_companys_profile(client, profiles, member_a_admin, query):
    login(client, member_a_admin)
    rows = assert_same_rows(
        client, page_url=reverse("deepening:profile_list"), api_url=PROFILES, query=query, pattern=PROFILE_ROW
    )
    assert str(profiles["b"].pk) not in rows


@pytest.mark.parametrize(("field", "value"), [("situation", "x"), ("region", "mars")])
def test_a_bad_profile_filter_is_named(client, profiles, coordinator, field, value):
    login(client, coordinator)
    assert_bad_value_named(
        client, page_url=reverse("deepening:profile_list"), api_url=PROFILES, field=field, value=value
    )
