"""`manage.py events_expire_offers`: the periodic sweep of the waiting list (run every few minutes
from cron): expire seats offered but not confirmed in time, offer them to the next in line."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from huifu.accounts.system import system_actor
from huifu.events.services import registration_offers_expire


class Command(BaseCommand):
    help = "Expire unconfirmed waiting-list offers and offer the seats to the next people waiting."

    def handle(self, *args: object, **options: object) -> None:
        expired = registration_offers_expire(actor=system_actor())
        self.stdout.write(f"events: {expired} offers expired")
