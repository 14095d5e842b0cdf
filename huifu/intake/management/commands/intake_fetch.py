"""``manage.py intake_fetch``: import new messages from the Market Service Center mailbox (cron).

Exit status 0 when every message was dealt with (or another run holds the lock: then nothing is
done), 1 when the mailbox could not be read or a message failed; one line per failure on stderr.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from huifu.intake.mailbox import MailboxError, fetch


class Command(BaseCommand):
    help = "Import new messages from the MSC mailbox (IMAP, or the local .eml folder)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = fetch()
        except MailboxError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if result.skipped_locked:
            self.stdout.write("intake: another intake_fetch is running; nothing done")
            return
        self.stdout.write(
            f"imported {result.imported}, already imported {result.duplicates}, failed {len(result.failed)}"
        )
        for line in result.failed:
            self.stderr.write(line)
        if result.failed:
            raise CommandError(f"{len(result.failed)} message(s) failed", returncode=1)
