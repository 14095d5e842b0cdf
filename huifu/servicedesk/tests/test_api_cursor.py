"""The feedback API lists page by cursor (issue #9): ``next`` and ``previous`` links walk every
row once in a stable order (the primary key breaks ties), no request counts the whole list, and
a cursor that does not parse gives the first page."""

from __future__ import annotations

import pytest

from huifu.core.testing.auth import login
from huifu.servicedesk.models import FeedbackForm, FeedbackItem

pytestmark = pytest.mark.django_db

API = "/api/v1/feedback"


def _walk(client, url: str, link: str) -> list[list[int]]:
    pages = []
    while url:
        body = client.get(url).json()
        assert "count" not in body
        pages.append([row["id"] for row in body["results"]])
        url = body[link]
    return pages


@pytest.fixture
def forms(submit):
    made = [submit(idempotency_key=f"k{n}") for n in range(5)]
    # equal receipt times on purpose: the primary key orders them
    FeedbackForm.objects.filter(pk__in=[f.pk for f in made[1:4]]).update(received_at=made[0].received_at)
    return list(FeedbackForm.objects.order_by("-received_at", "-pk").values_list("pk", flat=True))


@pytest.mark.parametrize("who", ["coordinator", "member_a_admin"])
def test_forms_walk_forward_and_back_in_receipt_order(client, forms, who, request):
    login(client, request.getfixturevalue(who))
    pages = _walk(client, f"{API}/forms/?page_size=2", "next")
    assert pages == [forms[0:2], forms[2:4], forms[4:5]]
    last = client.get(f"{API}/forms/?page_size=2").json()["next"]
    last = client.get(last).json()["next"]
    assert client.get(last).json()["next"] is None
    back = _walk(client, client.get(last).json()["previous"], "previous")
    assert back == [forms[2:4], forms[0:2]]


def test_items_walk_newest_first_and_members_see_only_their_own(client, forms, submit, member_b_admin, coordinator):
    submit(actor=member_b_admin, idempotency_key="b")
    login(client, member_b_admin)
    mine = [i for page in _walk(client, f"{API}/items/?page_size=2", "next") for i in page]
    assert mine == list(
        FeedbackItem.objects.filter(organisation=member_b_admin.organisation)
        .order_by("-pk")
        .values_list("pk", flat=True)
    )
    login(client, coordinator)
    every = [i for page in _walk(client, f"{API}/items/?page_size=4", "next") for i in page]
    assert every == list(FeedbackItem.objects.order_by("-pk").values_list("pk", flat=True))


def test_search_results_walk_by_cursor(client, submit, coordinator):
    margin = [submit(idempotency_key=f"m{n}", suggestions=["建议降低保证金比例"]) for n in range(3)]
    submit(idempotency_key="other", suggestions=["建议下调期权做市商手续费"])
    login(client, coordinator)
    found = [i for page in _walk(client, f"{API}/forms/?q=保证金&page_size=2", "next") for i in page]
    assert found == [f.pk for f in sorted(margin, key=lambda f: (f.received_at, f.pk), reverse=True)]


@pytest.mark.parametrize("cursor", ["nonsense", "n", "p", "pW10", "nWyIyMDIzIiwgIngiXQ", "%00", "p9999"])
def test_a_bad_cursor_gives_the_first_page(client, forms, coordinator, cursor):
    login(client, coordinator)
    for path in ("forms", "items", "replies"):
        response = client.get(f"{API}/{path}/?cursor={cursor}&page_size=2")
        assert response.status_code == 200, path
    assert [row["id"] for row in client.get(f"{API}/forms/?cursor={cursor}&page_size=2").json()["results"]] == forms[:2]
