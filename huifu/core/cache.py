"""Django's Redis cache, kept working while Redis is down.

The cache lives on the job queue's Redis (settings: ``HUIFU_REDIS_URL``). It holds allauth's
login rate limits, the TOTP "code already used" memory and the API throttle counters, so with
the plain ``RedisCache`` a queue outage became a login outage (every sign-in raised
``redis.ConnectionError``). ``ResilientRedisCache`` answers each operation from a per-process
memory cache (``LocMemCache``) when Redis cannot be reached, and logs one warning per outage.

Trade-off, accepted knowingly: during an outage these counters are per process, not shared.
With N processes a client may get up to N times the login/API rate limit, and a TOTP code used
in one process could be accepted once more in another within its 30-second period. Sign-in,
the second factor and the API keep working; the limits come back shared when Redis answers.

Short socket timeouts (0.5 s unless OPTIONS say otherwise) stop a hung Redis from stalling each
request, and a circuit breaker sends every call straight to memory for ``RETRY_SECONDS`` after
a failure, so requests do not each wait for a timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0  # after a failure, Redis is not tried again for this long
SOCKET_TIMEOUT_SECONDS = 0.5
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _Outage:
    """Per-process state of one Redis location (Django makes one cache object per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0

    def skip_redis(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, location: str, error: Exception) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.down:
                return
            self.down = True
        logger.warning(
            "Redis cache at %s is unreachable (%s): using a per-process memory cache until it answers; "
            "rate limits and the used-TOTP-code check are per process meanwhile",
            location,
            error,
        )

    def succeeded(self, location: str) -> None:
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
        logger.warning("Redis cache at %s answers again: shared cache restored", location)


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):
    """``RedisCache`` that falls back to a per-process ``LocMemCache`` while Redis is down."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", SOCKET_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", SOCKET_TIMEOUT_SECONDS)
        # redis-py retries a refused connection with a growing back-off (3 s in all): the
        # fallback is the retry here.
        options.setdefault("retry", Retry(NoBackoff(), 0))
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._outage = _outage_for(self._location)
        # Same name in every thread: LocMemCache shares its storage by name within the process.
        fallback_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self._fallback = LocMemCache(f"huifu-redis-fallback:{self._location}", fallback_params)

    def _call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if self._outage.skip_redis():
            return getattr(self._fallback, operation)(*args, **kwargs)
        try:
            result = getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE as error:
            self._outage.failed(self._location, error)
            return getattr(self._fallback, operation)(*args, **kwargs)
        self._outage.succeeded(self._location)
        return result

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        return self._call("clear")
