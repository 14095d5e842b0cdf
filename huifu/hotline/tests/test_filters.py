"""The call list's filters are declared once (hotline/filters.py) and the page and the API answer
the same question the same way: same calls for the same parameters, a bad value named."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from huifu.core.testing.auth import login

pytestmark = pytest.mark.django_db


def _page_ids(client, query: str) -> set[int]:
    html = client.get(reverse("hotline:list") + query).content.decode()
    return {int(pk) for pk in re.findall(r'href="/hotline/(\d+)/"', html)}


def _api_ids(client, query: str) -> set[int]:
    response = client.get(reverse("api-hotline-call-list") + query)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("query", ["", "?topic=delivery", "?follow_up=none", "?q=王女士", "?topic=trading&q=陈"])
def test_page_and_api_filter_the_same_way(client, official_calendar, make_call, msc_user, query):
    make_call(caller_name="陈先生", topic="trading")
    make_call(caller_name="王女士", topic="delivery", question="交割流程？")
    login(client, msc_user)
    page, api = _page_ids(client, query), _api_ids(client, query)
    assert page == api
    if query:
        assert len(api) < 2 or query == "?follow_up=none"


def test_api_names_a_bad_filter_value_and_the_page_shows_it_next_to_the_field(
    client, official_calendar, make_call, msc_user
):
    make_call()
    login(client, msc_user)
    response = client.get(reverse("api-hotline-call-list") + "?topic=nope")
    assert response.status_code == 400 and "topic" in response.json()["error"]["fields"]
    html = client.get(reverse("hotline:list") + "?topic=nope").content.decode()
    assert 'id="id_topic_errors"' in html  # core/_filter_fields.html, the page still lists calls
