"""The home's counts are read together: the batch answers what one count per query would, caps at
"999+", treats an empty queryset as 0, and a builder that looks at a count early still gets it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huifu.core.home import PendingCount, batched_counts, capped_count, resolved
from huifu.notices.models import Notice


def _notices(coordinator, n: int) -> None:
    from huifu.core.tests.test_home import _notices as make

    make(coordinator, n)


@pytest.mark.django_db
def test_batched_counts_equal_single_counts_in_one_query(coordinator):
    _notices(coordinator, 5)
    everything = Notice.objects.all()
    some = Notice.objects.filter(pk__in=list(everything.values_list("pk", flat=True)[:2]))
    expected = (capped_count(everything), capped_count(some), capped_count(everything, cap=3))
    assert expected == (5, 2, "3+")

    with CaptureQueriesContext(connection) as queries, batched_counts():
        pending = [capped_count(everything), capped_count(some), capped_count(everything, cap=3)]
        pending.append(capped_count(Notice.objects.none()))
        assert all(isinstance(p, PendingCount) for p in pending)
    assert len(queries.captured_queries) == 1
    assert [resolved(p) for p in pending] == [5, 2, "3+", 0]


@pytest.mark.django_db
def test_a_count_looked_at_inside_the_batch_is_read_at_once(coordinator):
    _notices(coordinator, 2)
    with batched_counts():
        first = capped_count(Notice.objects.all())
        assert first == 2 and bool(first) and str(first) == "2"  # flushed the batch early
        second = capped_count(Notice.objects.none())
        assert not second
    assert resolved(first) == 2 and resolved(second) == 0


@pytest.mark.django_db
def test_outside_a_batch_a_count_is_a_plain_number(coordinator):
    _notices(coordinator, 1)
    assert capped_count(Notice.objects.all()) == 1
    assert isinstance(capped_count(Notice.objects.all()), int)
