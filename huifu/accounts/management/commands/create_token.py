"""`manage.py create_token USERNAME [--name NAME] [--expires-days N]`: an API token for a service
account. The raw token is printed once and never stored."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from huifu.accounts.models import User
from huifu.accounts.services import token_create
from huifu.accounts.system import system_actor


class Command(BaseCommand):
    help = "Create a personal access token for USERNAME (the user's e-mail) and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the user's e-mail address")
        parser.add_argument("--name", default="service", help="a name for the token (default: service)")
        parser.add_argument("--expires-days", type=int, default=None, help="days until the token expires")

    def handle(self, *args: object, username: str, name: str, expires_days: int | None, **options: object) -> None:
        user = User.objects.filter(email__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"No user with e-mail {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {user.email} is deactivated.")
        expires_at = None
        if expires_days is not None:
            if expires_days < 1:
                raise CommandError("--expires-days must be at least 1.")
            expires_at = timezone.now() + datetime.timedelta(days=expires_days)
        try:
            token, raw = token_create(user=user, name=name, expires_at=expires_at, actor=system_actor())
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages))
        self.stderr.write(
            f"Token {token.name!r} for {user.email} created"
            + (f", expires {timezone.localtime(expires_at):%Y-%m-%d %H:%M}" if expires_at else ", no expiry")
            + ". Store it now; it cannot be shown again:"
        )
        self.stdout.write(raw)
