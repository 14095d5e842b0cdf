"""The feedback list reads a page's ids first, so rows skipped by a deep page never run the
per-row sub-queries (item count, deadline, reply) — issue #9: page 200 cost 2–3× page 1."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.core.testing.auth import login
from huifu.servicedesk.models import FeedbackForm

pytestmark = pytest.mark.django_db


def test_deep_page_skips_rows_without_their_subqueries(client, submit, coordinator, monkeypatch):
    monkeypatch.setattr("huifu.servicedesk.views.PAGE_SIZE", 2)
    forms = [submit(idempotency_key=f"k{n}") for n in range(5)]
    login(client, coordinator)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/feedback/?page=2").content.decode()
    offset_queries = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"].upper()]
    assert offset_queries
    assert all(sql.upper().count("SELECT") == 1 for sql in offset_queries), offset_queries
    newest_first = sorted(forms, key=lambda f: (f.received_at, f.pk), reverse=True)
    shown = [f for f in newest_first if f.get_absolute_url() in body]
    assert shown == newest_first[2:4]


NEXT = re.compile(r'href="\?([^"]*after=[^"]+)" rel="next"')


def test_search_results_page_by_keyset_with_every_match_once(client, submit, coordinator, monkeypatch):
    """A common word matches a third of all forms: its results are walked newest first by
    ``?after=`` (equal receipt times broken by the primary key) and counted only up to a cap."""
    monkeypatch.setattr("huifu.servicedesk.views.PAGE_SIZE", 2)
    matches = [submit(idempotency_key=f"m{n}", suggestions=["建议降低保证金比例"]) for n in range(5)]
    submit(idempotency_key="other", suggestions=["建议下调期权做市商手续费"])
    FeedbackForm.objects.filter(pk__in=[f.pk for f in matches[1:4]]).update(received_at=matches[0].received_at)
    expected = [
        f.get_absolute_url()
        for f in FeedbackForm.objects.filter(pk__in=[m.pk for m in matches]).order_by("-received_at", "-pk")
    ]
    login(client, coordinator)
    seen, url, queries = [], "/feedback/?q=保证金", []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        queries.append(len(ctx.captured_queries))
        assert "共找到 5 份反馈表" in body
        links = re.findall(r'href="(/feedback/\d+/)"', body)
        assert set(links) <= set(expected)  # the form without the word never shows
        seen += links
        found = NEXT.search(body)
        url = "/feedback/?" + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == expected
    assert len(queries) == 3 and len(set(queries[1:])) == 1  # every later page costs the same


def test_search_count_stops_at_the_cap(client, submit, coordinator, monkeypatch):
    monkeypatch.setattr("huifu.servicedesk.selectors.SEARCH_COUNT_CAP", 2)
    for n in range(3):
        submit(idempotency_key=f"m{n}", suggestions=["建议降低保证金比例"])
    login(client, coordinator)
    assert "共找到 2+ 份反馈表" in client.get("/feedback/?q=保证金").content.decode()
