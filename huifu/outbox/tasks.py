"""Jobs of the outbox."""

from __future__ import annotations

from django_tasks import task

from .delivery import deliver


@task()
def deliver_message(message_id: str) -> str:
    """Deliver one outbox row (see ``huifu.outbox.delivery.deliver``); returns the outcome."""
    return str(deliver(message_id))
