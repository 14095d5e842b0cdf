"""One money/number/date format (huifu.core.display, ``{% load kit %}``) across every page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from huifu.core import display

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "value,expected",
    [
        (Decimal("351798.7"), "¥351,798.70"),
        (1177164, "¥1,177,164.00"),
        ("1177164", "¥1,177,164.00"),
        (Decimal("-12"), "-¥12.00"),
        (0, "¥0.00"),
        (None, ""),
        ("", ""),
        ("n/a", "n/a"),
    ],
)
def test_money(value, expected):
    assert display.money(value) == expected


def test_amount_number_day_moment():
    assert display.amount(Decimal("351798.7")) == "351,798.70"
    assert display.number(12345) == "12,345" and display.number(Decimal("1234.5")) == "1,234.5"
    assert display.day(datetime.date(2026, 12, 3)) == "2026-12-03"
    utc = datetime.datetime(2026, 12, 3, 18, 5, tzinfo=ZoneInfo("UTC"))
    assert display.moment(utc) == "2026-12-04 02:05"  # Asia/Shanghai
    assert display.day(utc) == "2026-12-04"


def test_template_filters():
    out = Template("{% load kit %}{{ a|money }}|{{ a|amount }}|{{ n|number }}|{{ d|day }}").render(
        Context({"a": Decimal("1177164"), "n": 4200, "d": datetime.date(2026, 1, 2)})
    )
    assert out == "¥1,177,164.00|1,177,164.00|4,200|2026-01-02"


def test_no_template_formats_money_its_own_way():
    """Money columns (class="money") go through |money; no floatformat/intcomma/stringformat for it."""
    offenders = []
    for path in ROOT.rglob("*.html"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\|\s*(yuan|intcomma|stringformat:\"[^\"]*f\")", line) or (
                'class="money"' in line and re.search(r'class="money"[^>]*>\{\{[^}|]*\}\}', line)
            ):
                offenders.append(f"{path.relative_to(ROOT)}: {line.strip()[:80]}")
    assert offenders == []
