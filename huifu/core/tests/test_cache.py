"""The shared cache (on the job queue's Redis) keeps sign-in working while Redis is down: a queue
outage is a degraded state, not a login outage (issue 16). Before: ``RedisCache`` raised
``redis.ConnectionError`` on the login page (allauth's rate limits use the cache)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from huifu.core import cache as resilient
from huifu.core.testing.servers import redis_url  # noqa: F401

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1
LOGIN = "/accounts/login/"


def _caches(location: str) -> dict:
    return {"default": {"BACKEND": "huifu.core.cache.ResilientRedisCache", "LOCATION": location}}


@pytest.fixture(autouse=True)
def _no_outage_left():
    resilient._outages.clear()
    yield
    resilient._outages.clear()


@pytest.fixture
def dead_redis_cache():
    with override_settings(CACHES=_caches(DEAD_REDIS)):
        yield caches["default"]


def test_cache_operations_fall_back_to_memory_while_redis_is_down(dead_redis_cache, caplog):
    cache = dead_redis_cache
    with caplog.at_level(logging.WARNING, logger="huifu.core.cache"):
        cache.set("a", 1)
        assert cache.get("a") == 1
        assert cache.add("a", 2) is False
        assert cache.add("b", 2) is True
        assert cache.incr("a") == 2
        assert cache.get_many(["a", "b"]) == {"a": 2, "b": 2}
        cache.delete("a")
        assert cache.get("a") is None
        assert cache.get_or_set("c", 3) == 3
    warnings = [r for r in caplog.records if r.name == "huifu.core.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1, "one warning per outage, not one per call"
    assert "127.0.0.1:1" in warnings[0].getMessage()


def test_after_a_failure_redis_is_skipped_for_a_few_seconds(dead_redis_cache, monkeypatch):
    cache = dead_redis_cache
    cache.set("k", "v")  # fails once, opens the circuit
    calls = []
    monkeypatch.setattr(resilient.RedisCache, "get", lambda *a, **kw: calls.append(a) or None)
    assert cache.get("k") == "v"
    assert calls == [], "Redis was tried again within the retry window"
    outage = resilient._outages[DEAD_REDIS]
    monkeypatch.setattr(outage, "retry_at", time.monotonic() - 1)
    cache.get("k")
    assert len(calls) == 1, "Redis is tried again once the window has passed"


def test_settings_put_the_redis_cache_behind_the_fallback():
    """Production settings with HUIFU_REDIS_URL (a fresh interpreter: settings are read once)."""
    env = {**os.environ, "HUIFU_REDIS_URL": DEAD_REDIS}
    code = "import huifu.settings as s; print(s.CACHES['default']['BACKEND'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "huifu.core.cache.ResilientRedisCache"


def test_socket_timeouts_are_short_by_default(dead_redis_cache):
    options = dead_redis_cache._cache._pool_options
    assert options["socket_connect_timeout"] <= 1
    assert options["socket_timeout"] <= 1


def test_member_signs_in_while_redis_is_down(client, member_a_contact, password, caplog):
    with override_settings(CACHES=_caches(DEAD_REDIS)), caplog.at_level(logging.WARNING, logger="huifu.core.cache"):
        started = time.monotonic()
        response = client.post(LOGIN, {"login": member_a_contact.email, "password": password})
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert client.get(reverse("accounts:profile")).status_code == 200
    warnings = [r for r in caplog.records if r.name == "huifu.core.cache" and r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert elapsed < 2, f"sign-in took {elapsed:.2f} s with Redis down"


@pytest.mark.integration
def test_real_redis_is_used_and_shared(redis_url):  # noqa: F811
    location = redis_url.rsplit("/", 1)[0] + "/14"
    with override_settings(CACHES=_caches(location)):
        cache = caches["default"]
        cache.set("huifu-cachefix-probe", "shared", 30)
        # Read back through a plain RedisCache: the value went to Redis, not to the fallback.
        plain = resilient.RedisCache(location, {})
        assert plain.get("huifu-cachefix-probe") == "shared"
        cache.delete("huifu-cachefix-probe")
        assert not resilient._outages[location].down
