"""`manage.py events_speaker_reminders`: the periodic job of speaker invitations (cron, every
30 minutes): remind pending invitations the working day before their reply date and on the
reply date (working days only), expire those past their reply date. Running it twice sends
nothing twice."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huifu.accounts.system import system_actor
from huifu.events.services import speaker_invitations_remind


class Command(BaseCommand):
    help = "Remind speakers of invitations awaiting a reply; expire invitations past their reply date."

    def handle(self, *args: object, **options: object) -> None:
        counts = speaker_invitations_remind(actor=system_actor())
        self.stdout.write(
            "events: {reminded} speaker reminders, {deadline_reminded} on the reply date, {expired} invitations expired".format(
                **counts
            )
        )
