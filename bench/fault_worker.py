"""Fault test of the job worker: kill -9 it repeatedly while it delivers outbox mail.

A local SMTP sink (asyncio, this process) records the Message-ID of every message it accepts.
N outbox rows are written and one delivery job each is enqueued (database queue, PostgreSQL);
``manage.py huifu_worker`` runs them and is killed with SIGKILL K times at random moments and
restarted at once. Afterwards the script waits until every row is sent and reports duplicates
(Message-IDs accepted more than once), lost mails, and jobs left RUNNING.

    .venv/bin/python bench/fault_worker.py --mails 500 --kills 10
    .venv/bin/python bench/fault_worker.py --worker db_worker   # the library's worker, no reclaim

The database ``--database-url`` (default postgres://postgres@127.0.0.1:5432/jobs_fault) is
dropped and recreated. Short leases (``--lease``) keep the run short; production uses minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


class SmtpSink:
    """Just enough SMTP to accept mail: records the Message-ID of each accepted message."""

    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.loop = asyncio.new_event_loop()
        self.port = 0

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 sink ESMTP\r\n")
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    writer.write(b"250-sink\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await writer.drain()
                    message_id = ""
                    while True:
                        data = await reader.readline()
                        if data in (b".\r\n", b""):
                            break
                        if data.lower().startswith(b"message-id:"):
                            message_id = data.split(b":", 1)[1].strip().decode()
                    self.accepted.append(message_id)  # accepted: from here on the mail is out
                    writer.write(b"250 queued\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    return
                else:
                    writer.write(b"250 ok\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    def start(self) -> None:
        ready = threading.Event()

        async def main() -> None:
            server = await asyncio.start_server(self._session, "127.0.0.1", 0)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            async with server:
                await server.serve_forever()

        threading.Thread(target=lambda: self.loop.run_until_complete(main()), daemon=True).start()
        ready.wait(5)


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--lease", type=int, default=5, help="job lease and mail sending lease, seconds")
    parser.add_argument("--worker", default="huifu_worker", choices=["huifu_worker", "db_worker"])
    parser.add_argument(
        "--backend",
        default="database",
        choices=["database", "rq"],
        help="rq: rqworker (killed with its work horse) + one huifu_worker --sweep-only (not killed)",
    )
    parser.add_argument(
        "--flush-at-end",
        action="store_true",
        help="then run `outbox_flush --sync` (the cron safety net) before counting: how the old code recovered",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15", help="flushed at start")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/jobs_fault")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    sink = SmtpSink()
    sink.start()
    recreate_database(args.database_url)
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        HUIFU_DEBUG="0",
        HUIFU_SECRET_KEY="fault-test-" + "x" * 40,
        HUIFU_ALLOWED_HOSTS="localhost",
        HUIFU_TASKS_BACKEND=args.backend,
        HUIFU_MAIL_LOST_JOB_SECONDS="20",
        HUIFU_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        HUIFU_EMAIL_HOST="127.0.0.1",
        HUIFU_EMAIL_PORT=str(sink.port),
        HUIFU_EMAIL_TIMEOUT="5",
        HUIFU_TASK_LEASE_SECONDS=str(args.lease),
        HUIFU_MAIL_SENDING_LEASE_SECONDS=str(args.lease),
        HUIFU_WORKER_SWEEP_SECONDS="2",
    )
    env.pop("HUIFU_REDIS_URL", None)
    if args.backend == "rq":
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        env["HUIFU_REDIS_URL"] = args.redis_url
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings")
    import django

    django.setup()
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from huifu.outbox.models import OutboxMessage, OutboxStatus
    from huifu.outbox.services import mail_enqueue

    with transaction.atomic():
        for n in range(args.mails):
            mail_enqueue(to=f"member{n}@fault.example", subject=f"fault test {n}", body_text="x" * 200)

    def start_worker() -> subprocess.Popen:
        if args.backend == "rq":
            command = [PY, "manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
        else:
            command = [PY, "manage.py", args.worker, "--interval", "0.2", "--no-startup-delay", "--no-reload", "-v0"]
        # A session of its own: SIGKILL goes to the whole group (RQ's work horse too), as when a
        # machine or container dies.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def running_jobs() -> int:
        if args.backend == "rq":
            import django_rq
            from rq.registry import StartedJobRegistry

            queue = django_rq.get_queue("default")
            return len(StartedJobRegistry(queue=queue).get_job_ids())
        return DBTaskResult.objects.filter(status="RUNNING").count()

    def failed_jobs() -> int:
        if args.backend == "rq":
            import django_rq
            from rq.registry import FailedJobRegistry

            return len(FailedJobRegistry(queue=django_rq.get_queue("default")).get_job_ids())
        return DBTaskResult.objects.filter(status="FAILED").count()

    log = open(ROOT / "var" / f"fault_worker-{args.backend}-{args.worker}.log", "w")  # noqa: SIM115
    started = time.monotonic()
    sweeper = None
    if args.backend == "rq":
        sweeper = subprocess.Popen(
            [PY, "manage.py", "huifu_worker", "--sweep-only", "--no-startup-delay", "--no-reload", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = start_worker()
    kills = []
    running_after_kill = []
    for _ in range(args.kills):
        # Kill only a worker that is delivering: wait for its first accepted mail, then a random
        # moment within the next second (start-up alone takes a few seconds).
        seen = len(sink.accepted)
        wait_until = time.monotonic() + 30
        while len(sink.accepted) == seen and time.monotonic() < wait_until:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 1.0))
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
        kills.append(len(sink.accepted))
        running_after_kill.append(running_jobs())
        worker = start_worker()
    running_after_kills = max(running_after_kill, default=0)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists():
            break
        time.sleep(1)
    all_sent_after = round(time.monotonic() - started, 1)
    time.sleep(args.lease + 4)  # one lease and a sweep: jobs of killed workers are reclaimed by now
    for process in (worker, sweeper):
        if process is None:
            continue
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL) if process is worker else process.kill()
    not_sent_before_flush = OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()
    if args.flush_at_end:
        subprocess.run([PY, "manage.py", "outbox_flush", "--sync"], cwd=ROOT, env=env, stdout=log, check=False)
    counts = collections.Counter(sink.accepted)
    duplicates = sum(c - 1 for c in counts.values() if c > 1)
    sent_ids = {m.message_id for m in OutboxMessage.objects.all()}
    result = {
        "backend": args.backend,
        "worker": "rqworker" if args.backend == "rq" else args.worker,
        "mails": args.mails,
        "kills": args.kills,
        "lease_seconds": args.lease,
        "seconds_until_all_sent": all_sent_after,
        "accepted_by_relay": len(sink.accepted),
        "distinct_delivered": len(set(counts) & sent_ids),
        "lost": len(sent_ids - set(counts)),
        "duplicates": duplicates,
        "duplicates_per_kill": round(duplicates / max(args.kills, 1), 3),
        "rows_not_sent_before_cron_flush": not_sent_before_flush,
        "rows_not_sent": OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count(),
        "max_jobs_running_right_after_a_kill": running_after_kills,
        "kills_during_delivery": sum(1 for n in kills if n < args.mails),
        "jobs_left_running": running_jobs(),
        "jobs_failed": failed_jobs(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"fault_worker-{int(time.time())}.json").write_text(json.dumps(result, indent=2))
    return 0 if result["lost"] == 0 and result["rows_not_sent"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
