"""DATA: the product list of the exchange the demo and the first installation run for, as of
2023 (the exchange and its subsidiary; another exchange loads its own list with its profile,
``manage.py load_exchange_profile``, see docs/identity.md).

Loaded by the data migration ``0002_seed_catalogue`` and by ``demo.seed`` (idempotent, by code).
Names, exchanges, multipliers and listing dates are public facts written from memory of the
exchanges' announcements; dates marked ``approx`` in README.md are uncertain. Fees are DEMO
values of the right order of magnitude, not the exchange's current fee schedule: staff edit them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, NamedTuple


class Entry(NamedTuple):
    code: str
    name_zh: str
    name_en: str
    exchange: str
    kind: str
    underlying: str | None
    listed_on: datetime.date | None
    multiplier: str
    unit: str
    fee_basis: str
    fee: str


D = datetime.date
LOT = "per_lot"
RATE = "turnover_rate"

FUTURES: list[Entry] = [
    Entry("cu", "铜", "Copper", "SHFE", "futures", None, D(1993, 3, 1), "5", "吨", RATE, "0.00005"),
    Entry("bc", "国际铜", "Copper (BC)", "INE", "futures", None, D(2020, 11, 19), "5", "吨", RATE, "0.00001"),
    Entry("al", "铝", "Aluminium", "SHFE", "futures", None, D(1992, 5, 28), "5", "吨", LOT, "3"),
    Entry("zn", "锌", "Zinc", "SHFE", "futures", None, D(2007, 3, 26), "5", "吨", LOT, "3"),
    Entry("pb", "铅", "Lead", "SHFE", "futures", None, D(2011, 3, 24), "5", "吨", RATE, "0.00004"),
    Entry("ni", "镍", "Nickel", "SHFE", "futures", None, D(2015, 3, 27), "1", "吨", LOT, "3"),
    Entry("sn", "锡", "Tin", "SHFE", "futures", None, D(2015, 3, 27), "1", "吨", LOT, "3"),
    Entry("ao", "氧化铝", "Alumina", "SHFE", "futures", None, D(2023, 6, 19), "20", "吨", RATE, "0.0001"),
    Entry("au", "黄金", "Gold", "SHFE", "futures", None, D(2008, 1, 9), "1000", "克", LOT, "10"),
    Entry("ag", "白银", "Silver", "SHFE", "futures", None, D(2012, 5, 10), "15", "千克", RATE, "0.00005"),
    Entry("rb", "螺纹钢", "Steel rebar", "SHFE", "futures", None, D(2009, 3, 27), "10", "吨", RATE, "0.0001"),
    Entry("wr", "线材", "Steel wire rod", "SHFE", "futures", None, D(2009, 3, 27), "10", "吨", RATE, "0.00004"),
    Entry("hc", "热轧卷板", "Hot-rolled coil", "SHFE", "futures", None, D(2014, 3, 21), "10", "吨", RATE, "0.0001"),
    Entry("ss", "不锈钢", "Stainless steel", "SHFE", "futures", None, D(2019, 9, 25), "5", "吨", LOT, "2"),
    Entry("sc", "原油", "Crude oil", "INE", "futures", None, D(2018, 3, 26), "1000", "桶", LOT, "20"),
    Entry(
        "lu", "低硫燃料油", "Low-sulphur fuel oil", "INE", "futures", None, D(2020, 6, 22), "10", "吨", RATE, "0.00001"
    ),
    Entry("fu", "燃料油", "Fuel oil", "SHFE", "futures", None, D(2004, 8, 25), "10", "吨", RATE, "0.00005"),
    Entry("bu", "石油沥青", "Bitumen", "SHFE", "futures", None, D(2013, 10, 9), "10", "吨", RATE, "0.0001"),
    Entry("br", "丁二烯橡胶", "Butadiene rubber", "SHFE", "futures", None, D(2023, 7, 28), "5", "吨", RATE, "0.00002"),
    Entry("ru", "天然橡胶", "Natural rubber", "SHFE", "futures", None, D(1993, 11, 1), "10", "吨", LOT, "3"),
    Entry("nr", "20号胶", "TSR 20 rubber", "INE", "futures", None, D(2019, 8, 12), "10", "吨", RATE, "0.00002"),
    Entry(
        "sp",
        "纸浆",
        "Bleached softwood kraft pulp",
        "SHFE",
        "futures",
        None,
        D(2018, 11, 27),
        "10",
        "吨",
        RATE,
        "0.00005",
    ),
    Entry(
        "ec",
        "集运指数（欧线）",
        "Container freight index (Europe)",
        "INE",
        "futures",
        None,
        D(2023, 8, 18),
        "50",
        "点",
        RATE,
        "0.00006",
    ),
]

OPTIONS: list[Entry] = [
    Entry("cu_o", "铜期权", "Copper options", "SHFE", "option", "cu", D(2018, 9, 21), "5", "吨", LOT, "5"),
    Entry("al_o", "铝期权", "Aluminium options", "SHFE", "option", "al", D(2020, 8, 10), "5", "吨", LOT, "1.5"),
    Entry("zn_o", "锌期权", "Zinc options", "SHFE", "option", "zn", D(2020, 8, 10), "5", "吨", LOT, "1.5"),
    Entry("au_o", "黄金期权", "Gold options", "SHFE", "option", "au", D(2019, 12, 20), "1000", "克", LOT, "2"),
    Entry("ag_o", "白银期权", "Silver options", "SHFE", "option", "ag", D(2022, 12, 26), "15", "千克", LOT, "0.5"),
    Entry("rb_o", "螺纹钢期权", "Steel rebar options", "SHFE", "option", "rb", D(2022, 12, 26), "10", "吨", LOT, "1.5"),
    Entry(
        "ru_o", "天然橡胶期权", "Natural rubber options", "SHFE", "option", "ru", D(2019, 1, 28), "10", "吨", LOT, "3"
    ),
    Entry("sc_o", "原油期权", "Crude oil options", "INE", "option", "sc", D(2021, 6, 21), "1000", "桶", LOT, "10"),
]

CATALOGUE: list[Entry] = FUTURES + OPTIONS


# The list names the venue as the exchange publishes it; the database stores the venue's role
# (huifu.products.models.Exchange). Migration 0002 ran when the roles were stored under these
# names, so it passes ``HISTORICAL_VENUES``.
VENUES = {"SHFE": "main", "INE": "subsidiary"}
HISTORICAL_VENUES = {"SHFE": "SHFE", "INE": "INE"}


def _fields(entry: Entry, index: int, venues: dict[str, str]) -> dict[str, Any]:
    fee = Decimal(entry.fee)
    return {
        "name_zh": entry.name_zh,
        "name_en": entry.name_en,
        "exchange": venues[entry.exchange],
        "kind": entry.kind,
        "listed_on": entry.listed_on,
        "contract_multiplier": Decimal(entry.multiplier),
        "unit": entry.unit,
        "fee_basis": entry.fee_basis,
        "fee_per_lot": fee if entry.fee_basis == LOT else None,
        "fee_rate": fee if entry.fee_basis == RATE else None,
        "sort_order": (index + 1) * 10,
        "is_active": True,
    }


def load_catalogue(product_model: Any, venues: dict[str, str] | None = None) -> int:
    """Create the catalogue's products that do not exist yet (by code); never overwrite staff
    edits. Works with the real model and with a migration's historical model. Returns the
    number created."""
    venues = venues or VENUES
    existing = set(product_model.objects.values_list("code", flat=True))
    created = 0
    for index, entry in enumerate(FUTURES):
        if entry.code not in existing:
            product_model.objects.create(code=entry.code, **_fields(entry, index, venues))
            created += 1
    by_code = {p.code: p for p in product_model.objects.filter(kind="futures")}
    for index, entry in enumerate(OPTIONS):
        if entry.code not in existing:
            product_model.objects.create(
                code=entry.code, underlying=by_code[entry.underlying], **_fields(entry, index, venues)
            )
            created += 1
    return created
