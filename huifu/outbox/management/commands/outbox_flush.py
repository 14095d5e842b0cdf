"""Deliver what is due in the outbox: for cron, and for recovery after a queue or mail outage.

    manage.py outbox_flush          enqueue a delivery job for every due pending message
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
            if sync:
                outcomes[str(deliver(message_id))] += 1
            else:
                deliver_message.enqueue(str(message_id))
                outcomes["enqueued"] += 1
        summary = ", ".join(f"{key}: {n}" for key, n in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(f"outbox: {len(ids)} due; {summary}")
