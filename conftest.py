"""Shared fixtures: named personas built through the real services (see huifu/core/testing/)."""

import os
import random
import sys
import time

import pytest

from huifu.core.testing.browser import chromium_available  # noqa: F401
from huifu.core.testing.fixtures import *  # noqa: F403
from huifu.workdays.testing import official_calendar  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches. The cache outlives the test database, and SQLite reuses
    primary keys after a rollback, so a key such as allauth's "TOTP code used by user 7" or a
    throttle counter left by one test would otherwise refuse a login in a later one."""
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()
    yield


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded_under_the_real_clock():
    """Import every URL module before any test freezes the clock. A module imported under
    freezegun keeps its fake ``datetime`` (DRF's throttling and settings did): whichever test
    first loaded the URLs with a frozen clock made every later API request in the run a 500."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns
    yield


@pytest.fixture(autouse=True, scope="session")
def _no_stray_sessions_at_teardown(django_db_setup, django_db_blocker):
    """On PostgreSQL, end any other session still connected to the test database before
    pytest-django drops it: a connection left open by a thread (a live server's request, a
    worker under test) made the DROP DATABASE fail after every test had passed. The stray
    sessions are printed so the thread that leaked one can be found."""
    yield
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, state, left(query, 200) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            stray = cursor.fetchall()
            for pid, state, query in stray:
                print(f"\nstray session {pid} ({state}) at teardown: {query}", file=sys.stderr)
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(50):  # a terminated backend takes a moment to leave
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                if not stray or cursor.fetchone()[0] == 0:
                    break
                time.sleep(0.1)
        connections.close_all()


@pytest.fixture(autouse=True)
def _no_uncommitted_uploads_left():
    """Each test starts with an empty per-thread set of uploads awaiting their commit
    (huifu.files.services). A `db` test's transaction is rolled back without a signal, so the
    names of the files it stored stayed in that set, and a later test's
    ``discard_rolled_back_files()`` counted (and deleted) them: test_orphans failed or passed
    depending on the order of the tests."""
    from huifu.files.services import _pending

    _pending().clear()
    yield


def pytest_collection_modifyitems(config, items):
    """`HUIFU_TEST_SHUFFLE=<seed>` runs the suite in a random (reproducible) order, to find tests
    that depend on another test having run first. The default order stays the file order.

    The shuffle keeps pytest-django's three groups in their order (database tests, then
    transactional ones, whose flush removes rows seeded by migrations, then the rest), as
    Django guarantees that order."""
    seed = os.environ.get("HUIFU_TEST_SHUFFLE")
    if not seed:
        return

    def group(item) -> int:
        fixtures = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        if "transactional_db" in fixtures or "live_server" in fixtures or (marker and marker.kwargs.get("transaction")):
            return 1
        return 0 if ("db" in fixtures or marker) else 2

    random.Random(seed).shuffle(items)
    items.sort(key=group)


def pytest_report_header(config):
    seed = os.environ.get("HUIFU_TEST_SHUFFLE")
    return f"test order shuffled with HUIFU_TEST_SHUFFLE={seed}" if seed else None
