"""Enqueueing background jobs after commit, truthfully.

``enqueue_on_commit(task, *args)`` enqueues once the current transaction commits. If the job
queue (Redis) is down at that moment, the change stays committed, one warning line is logged (no
traceback per mail), and ``enqueue_failed()`` tells the view so it can say "delivery is delayed"
instead of "being sent". The work is not lost: the rows stay pending and are re-driven when the
queue is back (``huifu_worker`` sweeps, ``outbox_flush`` from cron).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.db import transaction

logger = logging.getLogger("huifu.jobs")

_state = threading.local()


def reset_enqueue_failed() -> None:
    _state.failed = False


def enqueue_failed() -> bool:
    """True if an enqueue failed in this thread since the last ``reset_enqueue_failed()``."""
    return bool(getattr(_state, "failed", False))


def enqueue_on_commit(task: Any, *args: Any) -> None:
    def run() -> None:
        try:
            task.enqueue(*args)
        except Exception as exc:  # noqa: BLE001 - the queue is down; the work stays recorded
            _state.failed = True
            logger.warning(
                "jobs: could not enqueue %s%r (%s: %s); it runs when the queue is back",
                getattr(task, "name", task),
                args,
                exc.__class__.__name__,
                exc,
            )

    transaction.on_commit(run)
