"""`manage.py demo_totp EMAIL`: the current two-factor code of a demo account.

Works only for accounts set up by `seed_demo` with the published demo secret, so it can never
reveal a real user's code."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huifu.accounts.models import User
from huifu.accounts.totp import DEMO_TOTP_SECRET, current_code, totp_secret_of


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: object, email: str, **options: object) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {email!r}.")
        secret = totp_secret_of(user)
        if secret is None:
            raise CommandError(f"{user.email} has no authenticator app set up.")
        if secret != DEMO_TOTP_SECRET:
            raise CommandError(f"{user.email} is not a demo account; its code stays in its owner's app.")
        self.stdout.write(current_code(secret))
