"""`manage.py workdays_seed [--year 2027 ...] [--force]`: load years from the chinesecalendar package.

Without --year it loads 2023–2026. A year already marked published is left alone unless
--force is given (then its special days are replaced by the package's). Exit status 1 when a
year could not be loaded (e.g. the installed package has no schedule for it yet).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huifu.accounts.system import system_actor
from huifu.workdays.services import DEFAULT_SEED_YEARS, calendar_seed_years
from huifu.workdays.sources import package_source, package_years


class Command(BaseCommand):
    help = "Load official holiday schedules from the chinesecalendar package (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", dest="years", help="a year to load (repeatable)")
        parser.add_argument("--force", action="store_true", help="replace years already marked published")

    def handle(self, *args: object, years: list[int] | None, force: bool, **options: object) -> None:
        years = years or list(DEFAULT_SEED_YEARS)
        available = package_years()
        self.stdout.write(f"{package_source()}: schedules for {available[0]}–{available[-1]}")
        failed = []
        for year, outcome in calendar_seed_years(years=years, actor=system_actor(), force=force):
            if outcome == "imported":
                self.stdout.write(self.style.SUCCESS(f"{year}: imported"))
            elif outcome == "kept":
                self.stdout.write(f"{year}: already published, kept (use --force to replace)")
            else:
                self.stderr.write(f"{year}: {outcome}")
                failed.append(year)
        if failed:
            raise CommandError(f"not loaded: {', '.join(map(str, failed))}")
