"""The management dashboard at scale on PostgreSQL: the same number of queries at any size, and
the time it takes, with and without the service desk's summary.

``HUIFU_DASHBOARD_ITEMS`` sets the number of feedback items (each with a tracked deadline);
the default keeps the suite quick. Rows are copied from one prototype row per table with
``INSERT … SELECT … generate_series`` so a million rows load in seconds. The timings are printed
(``-s``); only the query count is asserted (timings depend on the machine)."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.dashboards.figures import Scope, compute
from huifu.servicedesk.models import FeedbackForm, FeedbackItem
from huifu.tracking.models import TrackedItem

from .conftest import YEAR

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ITEMS = int(os.environ.get("HUIFU_DASHBOARD_ITEMS", "20000"))
PER_FORM = 10


def _columns(model, *skip: str) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key and f.column not in skip]


def _copy(model, proto_id: int, overrides: dict[str, str], source: str, where: str = "TRUE") -> None:
    table = model._meta.db_table
    cols = _columns(model)
    values = [overrides.get(c, f"p.{c}") for c in cols]
    sql = (
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} "
        f"FROM {table} p, {source} WHERE p.id = {int(proto_id)} AND {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)


def _load(year_data) -> None:
    form = FeedbackForm.objects.filter(organisation=year_data.b, status="replied").first()
    item = FeedbackItem.objects.filter(form=form).first()
    tracked = TrackedItem.objects.get(target_id=str(item.pk))
    forms = ITEMS // PER_FORM
    _copy(
        FeedbackForm,
        form.pk,
        {
            "serial": "1000 + g",
            "received_at": "p.received_at + (g % 200) * interval '1 day'",
            "idempotency_key": "''",
        },
        f"generate_series(1, {forms}) g",
    )
    _copy(
        FeedbackItem,
        item.pk,
        {"form_id": "f.id", "number": "n", "status": "CASE WHEN n % 3 = 0 THEN 'assigned' ELSE 'replied' END"},
        f"servicedesk_feedbackform f, generate_series(1, {PER_FORM}) n",
        "f.serial > 1000",
    )
    _copy(
        TrackedItem,
        tracked.pk,
        {"target_id": "i.id::text", "on_time": "(i.id % 2 = 0)"},
        "servicedesk_feedbackitem i",
        f"i.id > {int(item.pk)}",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def test_management_dashboard_at_scale(year_data, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("measured on PostgreSQL")
    _load(year_data)
    assert FeedbackItem.objects.count() >= ITEMS
    with CaptureQueriesContext(connection) as live_queries:
        t0 = time.monotonic()
        live = compute(year=YEAR, scope=Scope("exchange"))
        live_seconds = time.monotonic() - t0
    from huifu.servicedesk.reports import report_refresh

    t0 = time.monotonic()
    report_refresh()
    refresh_seconds = time.monotonic() - t0
    with CaptureQueriesContext(connection) as summary_queries:
        t0 = time.monotonic()
        summary = compute(year=YEAR, scope=Scope("exchange"))
        summary_seconds = time.monotonic() - t0
    assert summary.panel("feedback-months").table.total == live.panel("feedback-months").table.total
    assert live.panel("feedback-months").table.total[1] >= ITEMS
    # The same queries as at a handful of rows (one more: the summary's snapshot row is found).
    small = len(live_queries.captured_queries)
    assert len(summary_queries.captured_queries) <= small + 1
    with capsys.disabled():
        print(
            f"\n{ITEMS} items: live {live_seconds:.2f}s ({small} queries), summary refresh "
            f"{refresh_seconds:.2f}s, from summary {summary_seconds:.2f}s "
            f"({len(summary_queries.captured_queries)} queries)"
        )
