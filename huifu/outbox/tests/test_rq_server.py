"""Jobs on the real Redis (scripts/integration_servers.sh): a killed RQ worker's job is re-queued
by RQ itself; with the broker down a publication says delivery is delayed, /healthz says
degraded, outbox_flush still delivers, and the outbox catches up when the broker is back."""

from __future__ import annotations

import contextlib
import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from huifu.core.testing.auth import login
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.core.testing.servers import redis_url  # noqa: F401
from huifu.notices.mailing import notice_mailings_recover
from huifu.notices.models import AudienceKind
from huifu.notices.services import notice_create_draft
from huifu.outbox.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.integration

RQ_TASKS = {"default": {"BACKEND": "huifu.core.rq.RQBackend", "QUEUES": ["default"]}}
BROKER_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def clean_redis(redis_url):  # noqa: F811
    redis.Redis.from_url(redis_url).flushdb()
    yield redis_url
    redis.Redis.from_url(redis_url).flushdb()


def _use_rq(settings, url: str) -> None:
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {"default": {"URL": url}}
    if "django_rq" not in settings.INSTALLED_APPS:
        settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq"]


def _run_queue_in_process() -> None:
    """Run every queued job here (SimpleWorker: no fork, so the jobs see the test database)."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True, with_scheduler=False)


def test_publishing_with_the_broker_down_is_truthful_and_the_outbox_catches_up(
    client, settings, transactional_db, coordinator, clean_redis
):
    org = OrganisationFactory()
    for _ in range(3):
        org_user(org)
    notice = notice_create_draft(
        actor=coordinator,
        title="队列中断",
        body="正文",
        audience_kind=AudienceKind.ORGANISATIONS,
        audience_organisations=[org],
    )
    _use_rq(settings, BROKER_DOWN)
    login(client, coordinator)
    response = client.post(reverse("notices:publish", args=[notice.pk]), follow=True)
    page = response.content.decode()
    assert "邮件发送将延迟" in page and "正在后台" not in page
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["broker"].startswith("unavailable")

    # The broker is back: the recovery sweep restarts the fan-out, the queue delivers every mail.
    _use_rq(settings, clean_redis)
    assert client.get("/healthz").json()["status"] == "ok"
    assert notice_mailings_recover(now=timezone.now() + datetime.timedelta(minutes=10)) == 1
    _run_queue_in_process()
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(OutboxMessage.objects.values_list("to", flat=True))


def test_outbox_flush_delivers_even_when_the_broker_is_down(settings, transactional_db, coordinator, redis_url):  # noqa: F811
    from huifu.outbox.services import mail_enqueue

    _use_rq(settings, BROKER_DOWN)
    mail_enqueue(to="a@alpha.example", subject="s", body_text="b")  # its job could not be enqueued
    out, err = io.StringIO(), io.StringIO()
    call_command("outbox_flush", stdout=out, stderr=err)
    assert "the job queue is unavailable" in err.getvalue() and "sent: 1" in out.getvalue()
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT and len(mail.outbox) == 1


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "huifu_rqworker"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_tree(pid: int) -> None:
    """SIGKILL ``pid`` and every descendant (RQ's work horse and scheduler start their own
    sessions, so killing the process group is not enough)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    todo, tree = [pid], []
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    for member in tree:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_the_job_of_a_killed_worker_is_requeued_by_rq(settings, clean_redis, tmp_path):
    from huifu.core.testing.rqjobs import count_and_block_once

    _use_rq(settings, clean_redis)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "huifu.settings",
        "HUIFU_DEBUG": "1",
        "HUIFU_REDIS_URL": clean_redis,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "HUIFU_RQ_MAINTENANCE_SECONDS": "3",
        "HUIFU_TEST_BLOCK_SECONDS": "30",
    }
    counter = redis.Redis.from_url(clean_redis)
    count_and_block_once.enqueue("runs")
    log = tmp_path / "worker.log"
    first = _start_worker(env, log)
    second = None
    try:
        assert _wait_for(lambda: counter.get("runs") == b"1", 60), log.read_text()
        _kill_tree(first.pid)  # worker, work horse and scheduler die mid-job (kill -9)
        first.wait(10)
        second = _start_worker(env, log)
        # Heartbeat TTL (job timeout or 30 s, + 60 s) passes, RQ's clean-up retries the job.
        assert _wait_for(lambda: counter.get("runs") == b"2", 150), log.read_text()[-3000:]
    finally:
        for process in (first, second):
            if process is not None:
                _kill_tree(process.pid)
                process.wait(10)
