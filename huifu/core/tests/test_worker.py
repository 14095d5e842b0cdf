"""huifu_worker: survives database outages with back-off, reclaims jobs whose worker died, and runs
the recovery sweeps. django-tasks-db's own ``db_worker`` exits on the first OperationalError and
leaves a killed job RUNNING for ever."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from huifu.core.worker import ResilientWorker, backoff_delay, reclaim_expired_jobs
from huifu.outbox.models import OutboxMessage, OutboxStatus

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _worker(**kwargs):
    sleeps = []
    defaults = {
        "queue_names": ["default"],
        "interval": 1,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
        "sleep": sleeps.append,
        "sweep_interval": 60,
        "max_backoff": 8,
    }
    defaults.update(kwargs)
    return ResilientWorker(**defaults), sleeps


def test_backoff_doubles_up_to_the_cap():
    assert [backoff_delay(n, cap=8) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]


def test_worker_survives_a_database_outage_with_backoff(db):
    worker, sleeps = _worker()
    outcomes = [
        OperationalError("server closed the connection"),
        OperationalError("connection refused"),
        InterfaceError("connection already closed"),
        ResilientWorker.RAN,
        OperationalError("again"),
        ResilientWorker.STOP,
    ]
    with (
        mock.patch.object(worker, "sweep_if_due"),
        mock.patch.object(worker, "poll_once", side_effect=outcomes) as poll,
        mock.patch("huifu.core.worker._close_connections") as close,
        mock.patch("huifu.core.worker.close_old_connections"),
    ):
        worker.run()  # returns instead of raising
    assert poll.call_count == 6
    # 1, 2, 4 during the outage; after the success the back-off starts again at 1.
    assert sleeps == [1, 2, 4, 1]
    assert close.call_count == 4


def test_a_failing_sweep_is_a_database_error_like_any_other(db):
    worker, sleeps = _worker()
    with (
        mock.patch("huifu.core.worker.reclaim_expired_jobs", side_effect=[OperationalError("down"), (0, 0)]),
        mock.patch.object(worker, "poll_once", return_value=ResilientWorker.STOP),
        mock.patch("huifu.core.worker._close_connections"),
        mock.patch("huifu.core.worker.close_old_connections"),
        mock.patch("huifu.core.worker.run_recovery_sweeps"),
    ):
        worker.run()
    assert sleeps == [1]


def _job(*, started_minutes_ago, claims=1, task_path="huifu.outbox.tasks.deliver_message", args=()):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
        args_kwargs={"args": list(args), "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        queue_name="default",
        run_after=get_date_max(),
        worker_ids=[f"w{n}" for n in range(claims)],
    )


@override_settings(HUIFU_TASK_LEASE_SECONDS=600, HUIFU_TASK_MAX_CLAIMS=3)
def test_jobs_running_past_the_lease_are_reclaimed(db):
    stale = _job(started_minutes_ago=11)
    fresh = _job(started_minutes_ago=2)
    hopeless = _job(started_minutes_ago=30, claims=3)
    assert reclaim_expired_jobs(backend_name="default") == (1, 1)
    stale.refresh_from_db()
    fresh.refresh_from_db()
    hopeless.refresh_from_db()
    assert stale.status == TaskResultStatus.READY
    assert fresh.status == TaskResultStatus.RUNNING
    assert hopeless.status == TaskResultStatus.FAILED
    assert hopeless.exception_class_path == "huifu.core.worker.LeaseExpired"
    # A second sweep finds nothing more to do.
    assert reclaim_expired_jobs(backend_name="default") == (0, 0)


@override_settings(TASKS=DB_TASKS, HUIFU_TASK_LEASE_SECONDS=60, HUIFU_MAIL_SENDING_LEASE_SECONDS=30)
def test_a_killed_delivery_job_is_run_again_by_the_next_worker(transactional_db):
    """The worker was kill -9ed while sending: the job is RUNNING, the row ``sending``. The next
    worker reclaims the job and the mail goes out with its original Message-ID."""
    message = OutboxMessage.objects.create(
        to="contact@alpha.example",
        subject="s",
        body_text="b",
        status=OutboxStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    job = _job(started_minutes_ago=5, args=[str(message.pk)])
    worker, _ = _worker()
    worker.run()
    job.refresh_from_db()
    message.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert message.status == OutboxStatus.SENT
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [message.message_id]


@override_settings(TASKS=DB_TASKS)
def test_command_runs_a_batch(transactional_db):
    out = StringIO()
    call_command("huifu_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)


def test_command_refuses_rq_without_sweep_only(db):
    from django.core.management.base import CommandError

    with (
        override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}),
        pytest.raises(CommandError, match="sweep-only"),
    ):
        call_command("huifu_worker", "--batch", "--no-reload")
