"""Demo data: the official calendar for 2023–2026 from the chinesecalendar package (idempotent)."""

from __future__ import annotations

from typing import Any

from huifu.accounts.system import system_actor

from .services import DEFAULT_SEED_YEARS, calendar_seed_years


def seed(scale: int = 1, stdout: Any = None) -> None:
    outcomes = calendar_seed_years(years=DEFAULT_SEED_YEARS, actor=system_actor())
    if stdout is not None:
        stdout.write("workdays: " + ", ".join(f"{year} {outcome}" for year, outcome in outcomes))
