"""`manage.py events_reminders`: reminders before sessions (participants; staff for open tasks)
and survey invitations after them, on the working-day calendar, through the outbox. Idempotent:
run it as often as you like (hourly from cron); nothing is sent twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huifu.accounts.system import system_actor
from huifu.events.services.reminders import reminders_send


class Command(BaseCommand):
    help = "Send due session reminders (participants, staff with open tasks) and survey invitations."

    def handle(self, *args: object, **options: object) -> None:
        sent = reminders_send(actor=system_actor())
        self.stdout.write(
            "events: {participant} participant reminders, {staff} staff reminders, {survey} survey invitations".format(
                participant=sent["participant"], staff=sent["staff"], survey=sent["survey"]
            )
        )
