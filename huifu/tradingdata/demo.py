"""Demo trading data: 2023 Q2 daily statistics for every demo member × product, imported
through the real CSV importer (deterministic: fixed seed). Idempotent: re-importing replaces
the same days. ``scale`` is carried by the number of demo members the directory created."""

from __future__ import annotations

import datetime
import io
import random
from typing import IO

from huifu.accounts.system import system_actor
from huifu.directory.models import Organisation, OrganisationKind
from huifu.products.models import Product

from .importers.daily import COLUMNS
from .selectors import trading_calendar
from .services import import_daily_file

START = datetime.date(2023, 4, 1)
END = datetime.date(2023, 6, 30)


def _csv(members: list[str], products: list[tuple[str, str]], days: list[datetime.date]) -> bytes:
    rng = random.Random(20230401)
    lines = [",".join(COLUMNS)]
    for member in members:
        size = rng.uniform(0.3, 3.0)  # each member's size, stable over the quarter
        for code, underlying in products:
            base = rng.randint(50, 2000) * size
            contract = f"{underlying}2309" if code == underlying else f"{underlying}2309c{rng.randint(1, 9)}000"
            for day in days:
                volume = max(0, int(rng.gauss(base, base * 0.3)))
                price = rng.uniform(3000, 70000)
                turnover = f"{volume * price * 5:.2f}"
                oi = max(0, int(rng.gauss(base * 1.5, base * 0.2)))
                lines.append(f"{day.isoformat()},{member},{code},{contract},{volume},{turnover},{oi}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    members = list(
        Organisation.objects.filter(kind__in=OrganisationKind.member_kinds(), member_number__isnull=False)
        .order_by("member_number")
        .values_list("member_number", flat=True)
    )[: 20 * max(1, scale)]
    products = [
        (p.code, p.underlying.code if p.underlying_id else p.code)
        for p in Product.objects.select_related("underlying").filter(is_active=True)
    ]
    days = trading_calendar().trading_days_between(START, END)
    if not members or not products:
        return
    data = _csv(members, products, days)
    buffer = io.BytesIO(data)
    batch = import_daily_file(
        opener=lambda: buffer, file_format="csv", original_name="demo-2023Q2.csv", actor=system_actor()
    )
    if stdout:
        stdout.write(
            f"tradingdata: batch {batch.pk} {batch.status}, {batch.rows_imported} rows "
            f"({len(members)} members × {len(products)} products × {len(days)} trading days)\n"
        )
