"""`manage.py universities_jobs`: the periodic work of university cooperation, idempotent (run it
daily from cron): MOU renewal reminders due on the working-day calendar, and erasure of
students' personal fields after the retention period (``RetentionSetting``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huifu.accounts.system import system_actor
from huifu.universities.reminders import renewal_reminders_send
from huifu.universities.services import students_erase_expired


class Command(BaseCommand):
    help = "Send due MOU renewal reminders and erase students' personal data after the retention period."

    def handle(self, *args: object, **options: object) -> None:
        actor = system_actor()
        reminded = renewal_reminders_send(actor=actor)
        erased = students_erase_expired(actor=actor)
        self.stdout.write(f"universities: {reminded} renewal reminders, {erased} students erased")
