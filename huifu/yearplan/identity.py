"""The exchange's identity as the document needs it, on the plan's date.

Reads ``huifu.core.identity.exchange(on=…)`` (the identity accessor, docs/identity.md)."""

from __future__ import annotations

import datetime
from typing import Any


def exchange_as_of(day: datetime.date) -> Any:
    from huifu.core.identity import exchange

    return exchange(on=day)
