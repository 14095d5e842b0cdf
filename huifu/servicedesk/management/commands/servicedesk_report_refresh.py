"""Recompute the service report's summary (run from cron, e.g. every 10 minutes).

manage.py servicedesk_report_refresh
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huifu.servicedesk.reports import report_refresh


class Command(BaseCommand):
    help = "Recompute the Member Voice report figures from every item (the page shows them 'as of' then)."

    def handle(self, *args: Any, **options: Any) -> None:
        snapshot = report_refresh()
        self.stdout.write(
            f"servicedesk: report figures as of {snapshot.refreshed_at:%Y-%m-%d %H:%M:%S} ({snapshot.seconds:.1f}s)"
        )
