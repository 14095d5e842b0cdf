"""The one way Huifu shows money, numbers, dates and times (pages, PDFs, e-mails, exports' text).

House style, chosen once (docs/architecture.md, "One UI kit"):

- money: ``¥1,177,164.00`` — yuan sign, thousands separators, always two decimals (fen);
  :func:`amount` is the same digits without the sign, for sentences that already say 元
  (``批准金额 30,000.00 元``) and for table columns whose header names the unit;
- numbers: ``12,345`` (integers), ``12,345.6`` (decimals keep their own places);
- dates ``2026-12-03``; times ``2026-12-03 14:05`` in Asia/Shanghai, in both languages.

Template filters of the same names live in ``huifu/core/templatetags/kit.py``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

FEN = Decimal("0.01")
CURRENCY_SIGN = "¥"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        number = Decimal(repr(value) if isinstance(value, float) else str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def amount(value: Any) -> str:
    """1177164 -> '1,177,164.00'; None/'' -> ''; text that is not a number is returned as it is."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    return f"{number.quantize(FEN):,}"


def money(value: Any) -> str:
    """1177164 -> '¥1,177,164.00' (negative: '-¥12.00'); None/'' -> ''."""
    number = _decimal(value)
    if number is None:
        return "" if value in (None, "") else str(value)
    sign = "-" if number < 0 else ""
    return f"{sign}{CURRENCY_SIGN}{abs(number).quantize(FEN):,}"


def number(value: Any) -> str:
    """12345 -> '12,345'; Decimal('12345.50') -> '12,345.50'; None -> ''."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    number_ = _decimal(value)
    if number_ is None:
        return "" if value in (None, "") else str(value)
    return f"{number_:,f}"


def day(value: Any) -> str:
    """A date (or the local date of an aware datetime) as 2026-12-03."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def moment(value: Any) -> str:
    """An aware datetime as 2026-12-03 14:05 in Asia/Shanghai (the project's TIME_ZONE)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%d %H:%M")
    return day(value)
