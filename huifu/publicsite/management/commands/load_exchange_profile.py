"""``manage.py load_exchange_profile dce`` (or a path to a JSON file): configure Huifu for an
exchange by data alone — identity, logo, hotline, departments, 文号 prefixes, products.
See docs/identity.md for the format."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huifu.accounts.system import system_actor

from ...services import exchange_profile_load, profile_read


class Command(BaseCommand):
    help = "Load an exchange profile (a name in huifu/publicsite/profiles/ or a path to a JSON file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("profile", help="e.g. dce, shfe, or /path/to/profile.json")
        parser.add_argument("--year", type=int, default=None, help="year of the document-number prefixes")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data, base_dir = profile_read(options["profile"])
            report = exchange_profile_load(actor=system_actor(), profile=data, base_dir=base_dir, year=options["year"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
