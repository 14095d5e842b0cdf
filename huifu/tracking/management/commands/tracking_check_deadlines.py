"""Send due reminders and escalations for tracked items (run from cron, e.g. hourly).

manage.py tracking_check_deadlines           check here and now
manage.py tracking_check_deadlines --enqueue  hand the check to the job queue
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huifu.tracking.deadlines import check_deadlines
from huifu.tracking.tasks import tracking_check_deadlines


class Command(BaseCommand):
    help = "Send reminders before and escalations after the due date of tracked items (each once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Run the check as a job instead of here.")

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            tracking_check_deadlines.enqueue()
            self.stdout.write("tracking: check enqueued")
            return
        counts = check_deadlines()
        self.stdout.write(f"tracking: reminded {counts['reminded']}, escalated {counts['escalated']}")
