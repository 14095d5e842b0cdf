"""``manage.py huifu_worker``: the job worker to run (and supervise) in every deployment.

It takes the options of django-tasks-db's ``db_worker`` and runs
:class:`huifu.core.worker.ResilientWorker`: it survives database outages (back-off), reclaims
jobs whose worker died (``--lease``) and runs the recovery sweeps. With the RQ backend use
``--sweep-only`` beside ``rqworker`` (see docs/operations.md).
"""

from __future__ import annotations

import datetime
import logging
import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from huifu.core.worker import ResilientWorker


class Command(db_worker.Command):
    help = "Run the job worker: survives database outages, reclaims jobs of dead workers, runs recovery sweeps."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        for action in parser._actions:
            if action.dest == "backend_name":
                action.type = str  # checked in handle(): --sweep-only also works with RQ
        parser.add_argument(
            "--lease",
            type=int,
            default=None,
            help="Seconds after which a RUNNING job is considered abandoned and run again "
            "(default: HUIFU_TASK_LEASE_SECONDS).",
        )
        parser.add_argument(
            "--sweep-only",
            action="store_true",
            help="Run only the recovery sweeps (with the RQ backend, beside rqworker).",
        )

    def handle(self, *, verbosity: int, **options: Any) -> None:
        self.configure_logging(verbosity)
        logging.getLogger("huifu.worker").setLevel(logging.INFO if verbosity else logging.WARNING)
        if not logging.getLogger("huifu.worker").hasHandlers():
            logging.getLogger("huifu.worker").addHandler(logging.StreamHandler(self.stdout))
        if not options["sweep_only"]:
            try:
                db_worker.valid_backend_name(options["backend_name"])
            except Exception as exc:  # noqa: BLE001 - argparse's error type
                raise CommandError(f"{exc} (with RQ, run rqworker and huifu_worker --sweep-only)") from exc
        reload = options["reload"] and not options["batch"]
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
            lease=datetime.timedelta(seconds=options["lease"]) if options["lease"] else None,
            sweep_only=options["sweep_only"],
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
