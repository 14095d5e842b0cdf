"""Demo identity of the exchange (``seed_demo``): the ``shfe`` profile's identity and hotline,
loaded through the same service as ``manage.py load_exchange_profile`` (safe to run twice:
the profile's values are set again; departments and products come from their own apps' demo)."""

from __future__ import annotations

from typing import Any

from huifu.accounts.system import system_actor

from .services import exchange_profile_load, profile_read

DEMO_PROFILE = "shfe"


def seed(*, scale: int = 1, stdout: Any = None) -> None:
    data, base_dir = profile_read(DEMO_PROFILE)
    report = exchange_profile_load(actor=system_actor(), profile=data, base_dir=base_dir)
    if stdout is not None:
        stdout.write(f"publicsite: {report.summary()}")
