"""``manage.py huifu_rqworker``: the RQ job worker, started the one way that works.

    manage.py huifu_rqworker [queue ...] [--burst]

Equivalent to ``manage.py rqworker default --job-class django_tasks_rq.Job --worker-class
huifu.core.rq.Worker --with-scheduler``: django-tasks jobs need their job class (without it
every job fails with "'Task' object is not callable"), and deferred retries need the scheduler.
Run it beside ``manage.py huifu_worker --sweep-only`` (recovery sweeps), both supervised.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from huifu.core.health import uses_rq


class Command(BaseCommand):
    help = "Run the RQ job worker with the job class, worker class and scheduler Huifu needs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("queues", nargs="*", default=["default"], help="Queues (default: default).")
        parser.add_argument("--burst", action="store_true", help="Stop when the queues are empty.")

    def handle(self, *args: Any, queues: list[str], burst: bool = False, **options: Any) -> None:
        if not uses_rq():
            raise CommandError("huifu_rqworker needs HUIFU_REDIS_URL (RQ); without it run manage.py huifu_worker")
        call_command(
            "rqworker",
            *(queues or ["default"]),
            job_class="django_tasks_rq.Job",
            worker_class="huifu.core.rq.Worker",
            with_scheduler=True,
            burst=burst,
        )
