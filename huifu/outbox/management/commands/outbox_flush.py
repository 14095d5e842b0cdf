"""Deliver what is due in the outbox: for cron, and for recovery after a queue or mail outage.

    manage.py outbox_flush          enqueue a delivery job for every due pending message
                                    (if the job queue is down, deliver them here instead)
    manage.py outbox_flush --sync   deliver them here and now, one by one

Running it while workers are busy is safe: delivery locks the row and never sends twice.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand

from huifu.outbox.delivery import deliver, due_messages
from huifu.outbox.tasks import deliver_message


class Command(BaseCommand):
    help = "Deliver (or enqueue delivery of) every pending outbox message that is due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sync", action="store_true", help="Deliver in this process instead of enqueueing jobs.")
        parser.add_argument("--limit", type=int, default=1000, help="At most this many messages per run.")

    def handle(self, *args: Any, sync: bool = False, limit: int = 1000, **options: Any) -> None:
        ids = list(due_messages().values_list("id", flat=True)[: max(limit, 0)])
        outcomes: Counter[str] = Counter()
        for message_id in ids:
            if not sync:
                try:
                    deliver_message.enqueue(str(message_id))
                except Exception as exc:  # noqa: BLE001 - the broker is down: deliver from here instead
                    self.stderr.write(
                        f"outbox: the job queue is unavailable ({exc.__class__.__name__}: {exc}); delivering here"
                    )
                    sync = True
                else:
                    outcomes["enqueued"] += 1
                    continue
            outcomes[str(deliver(message_id))] += 1
        summary = ", ".join(f"{key}: {n}" for key, n in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(f"outbox: {len(ids)} due; {summary}")
