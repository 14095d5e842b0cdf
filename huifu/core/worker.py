"""The job worker that survives faults (``manage.py huifu_worker``).

It wraps django-tasks-db's worker loop (claim a READY job, run it, record the outcome) and adds
what the library leaves to the operator:

* **Database outages.** An ``OperationalError``/``InterfaceError`` anywhere in the loop closes the
  connections and sleeps with capped exponential back-off (1, 2, 4 … ``max_backoff`` seconds),
  then resumes; the library's own loop exits on the first one.
* **Jobs whose worker died.** A job RUNNING for longer than the lease (``HUIFU_TASK_LEASE_SECONDS``)
  was claimed by a worker that was killed; it is put back to READY and runs again. Jobs must
  therefore be idempotent (outbox delivery, notice fan-out and deadline checks are). A job
  reclaimed ``HUIFU_TASK_MAX_CLAIMS`` times is marked FAILED instead (a job that kills its worker
  must not kill every worker forever).
* **Recovery sweeps.** Every ``HUIFU_WORKER_SWEEP_SECONDS`` the worker runs the apps' recovery
  functions (``RECOVERY_SWEEPS``): stuck outbox rows, unfinished notice fan-outs, kept uploads
  nobody claimed (``huifu.files.kept``). Nothing waits
  for cron to recover.

With the RQ backend the RQ worker runs the jobs; ``huifu_worker --sweep-only`` then runs only
the sweeps (RQ's own registries handle killed work horses).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

logger = logging.getLogger("huifu.worker")

DATABASE_ERRORS = (OperationalError, InterfaceError)

# Idempotent recovery functions, each called with ``now=`` and returning a count for the log.
RECOVERY_SWEEPS: tuple[str, ...] = (
    "huifu.outbox.delivery.outbox_recover",
    "huifu.notices.tasks.notice_mailings_recover",
    "huifu.files.kept.kept_uploads_expire",
)


class LeaseExpired(Exception):
    """Recorded as the failure of a job reclaimed too often (its worker kept dying)."""


def task_lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, "HUIFU_TASK_LEASE_SECONDS", 600)))


def backoff_delay(failures: int, *, cap: float) -> float:
    """Seconds to wait after the ``failures``-th consecutive database error: 1, 2, 4 … ``cap``."""
    return float(min(2 ** max(failures - 1, 0), cap))


def reclaim_expired_jobs(
    *, backend_name: str, now: datetime.datetime | None = None, lease: datetime.timedelta | None = None
) -> tuple[int, int]:
    """Put jobs RUNNING for longer than the lease back to READY; return (reclaimed, failed).

    Each row is updated only if it is still RUNNING with the same ``started_at``, so a job that
    finished (or was reclaimed by another worker) in the meantime is left alone. A job already
    claimed ``HUIFU_TASK_MAX_CLAIMS`` times is marked FAILED with ``LeaseExpired``.
    """
    now = now or timezone.now()
    cutoff = now - (lease or task_lease())
    max_claims = int(getattr(settings, "HUIFU_TASK_MAX_CLAIMS", 5))
    stale = list(
        DBTaskResult.objects.running()
        .filter(backend_name=backend_name, started_at__lt=cutoff)
        .only("id", "started_at", "worker_ids", "task_path")[:500]
    )
    reclaimed = failed = 0
    for job in stale:
        same = DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        if len(job.worker_ids or []) >= max_claims:
            failed += same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{LeaseExpired.__module__}.{LeaseExpired.__qualname__}",
                traceback=f"LeaseExpired: claimed {len(job.worker_ids)} times, no worker finished it",
                return_value=None,
            )
            logger.error("worker: job %s (%s) failed: its workers kept dying", job.pk, job.task_path)
        else:
            done = same.update(status=TaskResultStatus.READY)
            reclaimed += done
            if done:
                logger.warning("worker: reclaimed job %s (%s), running since %s", job.pk, job.task_path, job.started_at)
    return reclaimed, failed


def run_recovery_sweeps(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Run every function in ``RECOVERY_SWEEPS``. A database error propagates (the worker backs
    off); any other error is logged and the next sweep runs."""
    now = now or timezone.now()
    results: dict[str, Any] = {}
    for path in RECOVERY_SWEEPS:
        try:
            results[path] = import_string(path)(now=now)
        except DATABASE_ERRORS:
            raise
        except Exception:  # noqa: BLE001 - one broken sweep must not stop the others or the worker
            logger.exception("worker: recovery sweep %s failed", path)
            results[path] = None
    return results


def _close_connections() -> None:
    for conn in connections.all(initialized_only=True):
        with contextlib.suppress(Exception):  # closing a dead connection may itself fail
            conn.close()


class ResilientWorker(Worker):
    """django-tasks-db's ``Worker`` with back-off on database errors, reclaiming and sweeps.

    ``sleep`` and ``clock`` are injectable so the loop can be tested without waiting.
    """

    IDLE = "idle"
    RAN = "ran"
    STOP = "stop"

    def __init__(
        self,
        *,
        lease: datetime.timedelta | None = None,
        sweep_interval: float | None = None,
        max_backoff: float | None = None,
        sweep_only: bool = False,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.lease = lease or task_lease()
        self.sweep_interval = float(
            sweep_interval if sweep_interval is not None else getattr(settings, "HUIFU_WORKER_SWEEP_SECONDS", 60)
        )
        self.max_backoff = float(
            max_backoff if max_backoff is not None else getattr(settings, "HUIFU_WORKER_MAX_BACKOFF_SECONDS", 60)
        )
        self.sweep_only = sweep_only
        self.sleep = sleep
        self.clock = clock
        self.failures = 0
        self._last_sweep: float | None = None

    def run(self) -> None:
        logger.info("worker %s starting (lease %s, sweeps every %ss)", self.worker_id, self.lease, self.sweep_interval)
        if self.startup_delay and self.interval:
            import random

            self.sleep(random.random())  # noqa: S311 - spreads a herd of restarting workers
        while self.running:
            try:
                close_old_connections()
                self.sweep_if_due()
                outcome = self.IDLE if self.sweep_only else self.poll_once()
                close_old_connections()
            except DATABASE_ERRORS as exc:
                self.failures += 1
                delay = backoff_delay(self.failures, cap=self.max_backoff)
                logger.warning(
                    "worker %s: database error %s (%s); retrying in %.0fs",
                    self.worker_id,
                    exc.__class__.__name__,
                    exc,
                    delay,
                )
                _close_connections()
                if self.running:
                    self.sleep(delay)
                continue
            if self.failures:
                logger.info("worker %s: database reachable again after %s errors", self.worker_id, self.failures)
            self.failures = 0
            if outcome == self.STOP:
                return
            if outcome == self.IDLE and self.running:
                self.sleep(self.interval)

    def sweep_if_due(self) -> None:
        now = self.clock()
        if self._last_sweep is not None and now - self._last_sweep < self.sweep_interval:
            return
        if not self.sweep_only:
            reclaim_expired_jobs(backend_name=self.backend_name, lease=self.lease)
        run_recovery_sweeps()
        self._last_sweep = now

    def poll_once(self) -> str:
        """Claim and run one READY job. Returns RAN, IDLE (nothing to do) or STOP (batch done,
        max tasks reached)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        task_result = None
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            return self.IDLE  # SQLite busy: another worker holds the lock; try again shortly
        if task_result is not None:
            self.run_task(task_result)
        elif self.batch:
            return self.STOP
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            return self.STOP
        return self.RAN if task_result is not None else self.IDLE
