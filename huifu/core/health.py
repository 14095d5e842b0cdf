"""Checks behind ``/healthz`` besides the database: the job broker and the file store.

Each answers ``"ok"``, a short reason, or ``"not used"``; ``/healthz`` says ``ok`` (200) when all
work, ``degraded`` (200) when only the broker is down (mail and jobs wait in the outbox and catch
up; sign-ins keep working: the shared cache falls back to memory, huifu/core/cache.py), and
``error`` (503) when the database or the file store fails.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

BROKER_TIMEOUT_SECONDS = 2


def uses_rq() -> bool:
    return settings.TASKS["default"]["BACKEND"].endswith(".RQBackend")


def broker_status() -> str:
    """``ok`` when Redis answers PING within 2 s, else the reason; ``not used`` without RQ."""
    if not uses_rq():
        return "not used"
    url = (getattr(settings, "RQ_QUEUES", {}).get("default") or {}).get("URL")
    if not url:
        return "not configured"
    import redis

    client: Any = redis.Redis.from_url(
        url, socket_connect_timeout=BROKER_TIMEOUT_SECONDS, socket_timeout=BROKER_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "the broker cannot be used now"
        return f"unavailable ({exc.__class__.__name__})"
    finally:
        client.close()
    return "ok"


def storage_status() -> str:
    from huifu.files.storage import storage_probe

    problem = storage_probe()
    return "ok" if problem is None else f"unavailable ({problem[:200]})"
