"""The feedback list reads a page's ids first, so rows skipped by a deep page never run the
per-row sub-queries (item count, deadline, reply) — issue #9: page 200 cost 2–3× page 1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.core.testing.auth import login

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
