"""`manage.py seed_demo [--scale N]`: a realistic demo installation, safe to run twice.

Each app that has demo data provides ``huifu.<app>.demo.seed(scale=..., stdout=...)``; they
run in dependency order inside one transaction, so a failed run leaves nothing half-made.
"""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

# Order matters: the directory before the people in it, people before what they write.
DEMO_APPS = [
    "directory",
    "accounts",
    "workdays",
    "notices",
    "products",
    "tradingdata",
    "incentives",
    "settlements",
    "servicedesk",
    "intake",
    "visits",
    "hotline",
    "budget",
    "activities",
    "deepening",
    "cases",
    "events",
    "credits",
    "certificates",
    "eduworks",
    "universities",
    "awards",
    "selections",
    "dashboards",
    "yearplan",
    "publicsite",
]


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent). --scale N multiplies volumes for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=int, default=1, help="multiply data volumes (default 1)")

    def handle(self, *args: object, scale: int, **options: object) -> None:
        if scale < 1:
            self.stderr.write("--scale must be at least 1")
            raise SystemExit(2)
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = importlib.import_module(f"huifu.{app}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"huifu.{app}.demo":
                        raise
                    continue
                module.seed(scale=scale, stdout=self.stdout)
