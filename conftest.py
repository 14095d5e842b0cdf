"""Shared fixtures: named personas built through the real services (see huifu/core/testing/)."""

import os
import random

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


def pytest_collection_modifyitems(config, items):
    """`HUIFU_TEST_SHUFFLE=<seed>` runs the suite in a random (reproducible) order, to find tests
    that depend on another test having run first. The default order stays the file order."""
    seed = os.environ.get("HUIFU_TEST_SHUFFLE")
    if seed:
        random.Random(seed).shuffle(items)


def pytest_report_header(config):
    seed = os.environ.get("HUIFU_TEST_SHUFFLE")
    return f"test order shuffled with HUIFU_TEST_SHUFFLE={seed}" if seed else None
