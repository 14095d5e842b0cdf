"""Huifu's RQ (Redis) job backend and worker; used when ``HUIFU_REDIS_URL`` is set.

* :class:`RQBackend` enqueues like django-tasks-rq's, plus an RQ ``Retry``: a job whose worker
  or work horse died (``kill -9``, OOM, host lost) is put back in the queue by RQ itself (the
  started-job registry's clean-up retries abandoned jobs that have retries left), and a job that
  raised is retried after 10 s, 1 min and 5 min. Every Huifu job is idempotent, so a retry is
  safe.
* :class:`Worker` runs RQ's registry maintenance every minute instead of every ten, so an
  abandoned job is noticed within about two minutes (its heartbeat TTL plus one interval).
* ``manage.py huifu_rqworker`` starts the worker with the right job class, this worker class and
  the scheduler (which runs deferred retries): nobody has to remember the flags.
"""

from __future__ import annotations

from typing import Any

import django_rq
from django.conf import settings
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from django_tasks_rq.backend import TASK_MAX_PRIORITY, Job, failed_callback, success_callback
from django_tasks_rq.backend import RQBackend as BaseRQBackend
from rq import Retry
from rq import Worker as BaseWorker
from rq.job import Callback, JobStatus

RETRY_INTERVALS = [10, 60, 300]
MAINTENANCE_INTERVAL_SECONDS = 60


def job_retry() -> Retry:
    return Retry(max=int(getattr(settings, "HUIFU_TASK_MAX_CLAIMS", 5)), interval=RETRY_INTERVALS)


class RQBackend(BaseRQBackend):
    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        task_result: TaskResult = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(failed_callback),
            on_success=Callback(success_callback),
            meta={"backend_name": self.alias},
            retry=job_retry(),
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result


class Worker(BaseWorker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        interval = int(getattr(settings, "HUIFU_RQ_MAINTENANCE_SECONDS", MAINTENANCE_INTERVAL_SECONDS))
        kwargs["maintenance_interval"] = kwargs.get("maintenance_interval") or interval
        # The worker checks for maintenance between two waits on the queue: wait no longer.
        # (django-rq passes worker_ttl=420 by default; a shorter wait changes nothing else.)
        kwargs["worker_ttl"] = min(int(kwargs.get("worker_ttl") or 420), max(interval + 15, 20))
        super().__init__(*args, **kwargs)
