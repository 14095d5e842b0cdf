"""The work queue pages by keyset (``?after=``): every item once, in due order, at a constant cost."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory
from huifu.tracking.models import TrackedItem

from .conftest import at

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'href="\?([^"]*after=[^"]+)" rel="next"')


def test_walking_next_links_shows_every_item_once_in_due_order(client, open_item, coordinator, monkeypatch):
    monkeypatch.setattr("huifu.tracking.views.PAGE_SIZE", 4)
    same_day = at(2023, 10, 9)
    for n in range(11):  # equal due dates on purpose: the primary key breaks the tie
        open_item(target=OrganisationFactory(), received_at=same_day if n % 2 else at(2023, 9, 1 + n), title=f"事项{n}")
    login(client, coordinator)
    seen, url, queries = [], "/queue/", []
    while url:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url).content.decode()
        queries.append(len(ctx.captured_queries))
        seen += re.findall(r"事项\d+", body)
        found = NEXT.search(body)
        url = "/queue/?" + found.group(1).replace("&amp;", "&") if found else ""
    expected = [item.title for item in TrackedItem.objects.order_by("due_at", "pk")]
    assert seen == expected
    assert len(queries) == 3 and len(set(queries[1:])) == 1  # every later page costs the same


@pytest.mark.parametrize("cursor", ["nonsense", "W10", "WyIyMDIzIiwgIngiXQ", "%00", "eyJhIjogMX0"])
def test_a_bad_cursor_gives_the_first_page(client, open_item, coordinator, cursor):
    open_item(title="事项A")
    login(client, coordinator)
    response = client.get(f"/queue/?after={cursor}")
    assert response.status_code == 200
    assert "事项A" in response.content.decode()


def test_department_staff_walk_their_departments_and_their_own_items_once(
    client, open_item, dept_staff, dept_business, dept_msc, monkeypatch
):
    monkeypatch.setattr("huifu.tracking.views.PAGE_SIZE", 3)
    for n in range(8):
        open_item(
            target=OrganisationFactory(),
            received_at=at(2023, 9, 1 + n),
            title=f"事项{n}",
            department=dept_business if n % 3 else dept_msc,  # every third in another department…
            owner=dept_staff if n % 2 else None,  # …seen only when it is theirs
        )
    login(client, dept_staff)
    seen, url = [], "/queue/"
    while url:
        body = client.get(url).content.decode()
        seen += re.findall(r"事项\d+", body)
        found = NEXT.search(body)
        url = "/queue/?" + found.group(1).replace("&amp;", "&") if found else ""
    assert seen == [f"事项{n}" for n in range(8) if n % 3 or n % 2]


def test_department_counts_stop_at_the_cap(client, open_item, dept_staff, dept_business, monkeypatch):
    from huifu.tracking import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for n in range(3):
        open_item(target=OrganisationFactory(), department=dept_business, received_at=at(2023, 9, 1 + n))
    assert selectors.queue_counts(user=dept_staff) == {"active": 3, "overdue": 3}
    open_item(target=OrganisationFactory(), department=dept_business, received_at=at(2023, 9, 10))
    assert selectors.queue_counts(user=dept_staff) == {"active": "3+", "overdue": "3+"}
    login(client, dept_staff)
    assert "3+" in client.get("/queue/").content.decode()


def test_department_counts_count_an_own_linked_item_once(open_item, dept_staff, dept_business, dept_msc):
    from huifu.tracking import selectors

    open_item(target=OrganisationFactory(), department=dept_business, received_at=at(2023, 9, 1))
    open_item(target=OrganisationFactory(), department=dept_business, owner=dept_staff, received_at=at(2023, 9, 2))
    open_item(target=OrganisationFactory(), department=dept_msc, owner=dept_staff, received_at=at(2023, 9, 3))
    open_item(target=OrganisationFactory(), department=dept_msc, received_at=at(2023, 9, 4))  # not theirs
    assert selectors.queue_counts(user=dept_staff) == {"active": 3, "overdue": 3}


def test_coordinator_counts_stop_at_the_cap_in_one_query_each(open_item, coordinator, monkeypatch):
    from huifu.tracking import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for n in range(3):
        open_item(target=OrganisationFactory(), received_at=at(2023, 9, 1 + n))
    assert selectors.queue_counts(user=coordinator) == {"active": 3, "overdue": 3}
    open_item(target=OrganisationFactory(), received_at=at(2023, 9, 10))
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.queue_counts(user=coordinator) == {"active": "3+", "overdue": "3+"}
    assert len(ctx.captured_queries) == 2
    assert all("LIMIT 4" in query["sql"] for query in ctx.captured_queries)
