"""Jobs of the tracking app."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> str:
    """POST one department webhook row (see ``huifu.tracking.webhooks.deliver``)."""
    from .webhooks import deliver

    return deliver(delivery_id)


@task()
def tracking_check_deadlines() -> dict[str, int]:
    """Send due reminders and escalations (each once). Run by cron through the command too."""
    from .deadlines import check_deadlines

    return check_deadlines()
