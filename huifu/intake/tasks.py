"""Jobs of the intake app."""

from __future__ import annotations

from django_tasks import task

from .mailbox import fetch


@task()
def intake_fetch() -> dict:
    """Import new messages from the MSC mailbox (schedule it every few minutes)."""
    result = fetch()
    return {"imported": result.imported, "duplicates": result.duplicates, "failed": result.failed}
