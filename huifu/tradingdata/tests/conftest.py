"""Trading-data fixtures: the real catalogue, the 2024 calendar and helpers building files."""

from __future__ import annotations

import io
import json

import pytest

from huifu.products.catalogue import load_catalogue
from huifu.products.models import Product
from huifu.tradingdata.services import import_daily_file, import_ranking_file
from huifu.tradingdata.testing import trading_calendar_data  # noqa: F401, F811

HEADER = "trade_date,member_number,product_code,contract,volume,turnover,open_interest"


@pytest.fixture
def catalogue(db):
    load_catalogue(Product)
    return {p.code: p for p in Product.objects.all()}


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def run_csv(data: bytes, actor=None, name: str = "stats.csv", **options):
    buffer = io.BytesIO(data)
    return import_daily_file(opener=lambda: buffer, file_format="csv", original_name=name, actor=actor, **options)


def ranking_bytes(rows: list[dict], **top) -> bytes:
    payload = {"o_cursor": rows, "o_code": "0000", "o_msg": "", "report_date": "20240307", "update_date": ""}
    payload.update(top)
    payload = {k: v for k, v in payload.items() if v is not ...}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def run_ranking(data: bytes, name: str = "pm20240307.dat", actor=None):
    return import_ranking_file(file=io.BytesIO(data), original_name=name, actor=actor)


@pytest.fixture
def data_world(trading_calendar_data, catalogue, org_a, org_b):  # noqa: F811
    return {"products": catalogue, "org_a": org_a, "org_b": org_b}
