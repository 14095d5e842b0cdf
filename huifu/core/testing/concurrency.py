"""Racing two or more service calls, for tests of locks and unique constraints.

On PostgreSQL each call runs in its own thread with its own connection, released together by a
barrier; on SQLite (one in-memory database, no row locks) they run one after the other, which
checks the same rule without the race. Tests using it need ``django_db(transaction=True)``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections


def race(*calls: Callable[[], Any], expected: type[BaseException] = ValidationError) -> list[Any]:
    """Run ``calls`` at once; return each one's value, or the ``expected`` exception it raised
    (anything else propagates on SQLite and is returned as well on PostgreSQL, to be seen)."""
    results: list[Any] = [None] * len(calls)
    if connection.vendor != "postgresql":
        for i, call in enumerate(calls):
            try:
                results[i] = call()
            except expected as exc:
                results[i] = exc
        return results
    barrier = threading.Barrier(len(calls))

    def run(i: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)  # generous: a loaded CI machine starts threads slowly
            results[i] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results
