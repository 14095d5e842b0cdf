"""PostgreSQL: the queue's sorts walk an index in order and stop at the page (issue 10) — no
Sort node over the matching rows, no OFFSET — for the coordinator (one part) and a department's
staff member (department part and own part), first page and a later one."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huifu.core.keyset import _encode_keys
from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory
from huifu.tracking.models import DeadlineRule, TrackedItem, TrackedStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ROWS = 20_000


@pytest.fixture
def loaded(official_calendar, dept_business, dept_mm, dept_staff):
    if connection.vendor != "postgresql":
        pytest.skip("query plans are checked on PostgreSQL")
    orgs = [OrganisationFactory() for _ in range(40)]
    now = timezone.now()
    ct = ContentType.objects.get_for_model(TrackedItem)
    statuses = [TrackedStatus.OPEN, TrackedStatus.PAUSED, TrackedStatus.DONE, TrackedStatus.DONE]
    items = TrackedItem.objects.bulk_create(
        TrackedItem(
            kind="feedback_item",
            title=f"事项{i}",
            target_type=ct,
            target_id=str(i),
            organisation=orgs[i % 40] if i % 7 else None,
            department=dept_business if i % 2 else dept_mm,
            owner=dept_staff if i % 3 == 0 else None,
            status=statuses[i % 4],
            paused_at=now if statuses[i % 4] == TrackedStatus.PAUSED else None,
            done_at=now if statuses[i % 4] == TrackedStatus.DONE else None,
            received_at=now,
            deadline_rule=DeadlineRule.WORKING_DAYS,
            deadline_amount=10,
            due_at=now + datetime.timedelta(minutes=i),
        )
        for i in range(ROWS)
    )
    through = TrackedItem.departments.through
    through.objects.bulk_create(through(trackeditem_id=i.pk, department_id=i.department_id) for i in items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracking_trackeditem")
        cursor.execute(f"ANALYZE {through._meta.db_table}")


def _sorts_over_items(sql: str) -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '64kB'")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    found: list[str] = []

    def walk(node: dict) -> None:
        # A Sort reads every matching row; an Incremental Sort is fine when the rows come in due
        # order already (it then only orders ties of one due time by id and stops at the page).
        streaming = node.get("Node Type") == "Incremental Sort" and any(
            "due_at" in key for key in node.get("Presorted Key", [])
        )
        if node.get("Node Type") in ("Sort", "Incremental Sort") and not streaming and node.get("Plan Rows", 0) > 1000:
            found.append(f"{node['Node Type']} of {node.get('Plan Rows')} rows by {node.get('Sort Key')}")
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == "tracking_trackeditem":
            found.append("Seq Scan on tracking_trackeditem")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


def test_sorted_queue_pages_walk_an_index(loaded, client, coordinator, dept_staff):
    later = timezone.now() + datetime.timedelta(minutes=ROWS // 2)
    # By company the queue is ordered by the company's name in the reader's language (pinyin
    # through ICU): the name lives in directory's table, no index of ours can hold it, so that
    # sort reads the matching items (selectors.SORTS; test_company_sort_is_one_keyset_query).
    pages = [
        "/queue/?sort=state",
        "/queue/?sort=state&status=all",
        f"/queue/?sort=state&after={_encode_keys(['open', later, 10**9])}",
    ]
    failures = []
    for user in (coordinator, dept_staff):
        login(client, user)
        client.get("/queue/")  # the topic choices are cached from here on
        for url in pages:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            page_queries = [
                q["sql"]
                for q in ctx.captured_queries
                if "ORDER BY" in q["sql"] and '"tracking_trackeditem"."title"' in q["sql"]
            ]
            assert page_queries, url
            for sql in page_queries:
                assert "OFFSET" not in sql
                failures += [f"{url} as {user.email}: {p}\n    {sql[:300]}" for p in _sorts_over_items(sql)]
        client.logout()
    assert not failures, "\n".join(failures)


def test_company_sort_is_one_keyset_query_in_pinyin_order(loaded, client, coordinator, dept_staff):
    """The company sort (see above) pages by keyset, never OFFSET, in one query per page for a
    department member too (their two parts are one query, so the page keeps ICU's order)."""
    cursor = _encode_keys(["", 20, timezone.now(), 10**9])
    for user in (coordinator, dept_staff):
        login(client, user)
        client.get("/queue/")
        for url in ("/queue/?sort=company", f"/queue/?sort=company&after={cursor}"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200, url
            page_queries = [
                q["sql"]
                for q in ctx.captured_queries
                if "ORDER BY" in q["sql"] and '"tracking_trackeditem"."title"' in q["sql"]
            ]
            assert len(page_queries) == 1, (url, user.email, page_queries)
            assert "OFFSET" not in page_queries[0]
            assert 'COLLATE "zh-x-icu"' in page_queries[0]
        client.logout()
