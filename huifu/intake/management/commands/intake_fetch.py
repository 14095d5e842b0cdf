"""``manage.py intake_fetch``: import new messages from the Market Service Center mailbox (cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from huifu.intake.mailbox import fetch


class Command(BaseCommand):
    help = "Import new messages from the MSC mailbox (IMAP, or the local .eml folder)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = fetch()
        self.stdout.write(
            f"imported {result.imported}, already imported {result.duplicates}, failed {len(result.failed)}"
        )
        for line in result.failed:
            self.stderr.write(line)
