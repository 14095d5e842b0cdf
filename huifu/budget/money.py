"""Money in CNY, exact to the fen (0.01). Every amount that enters the budget goes through
:func:`clean_money`, which refuses negatives, more than two decimals and non-numbers with a
message naming the field."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")


def clean_money(value: Any, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """``value`` as a Decimal quantized to the fen, or ValidationError({field: message})."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "")) if value is not None else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(
            {field: ValidationError(_("Enter an amount in yuan, e.g. 12345.67."), code="invalid_amount")}
        )
    if amount < 0:
        raise ValidationError({field: ValidationError(_("The amount cannot be negative."), code="negative_amount")})
    if amount != amount.quantize(FEN):
        raise ValidationError(
            {
                field: ValidationError(
                    _("Amounts are exact to the fen: at most two decimal places."), code="too_many_decimals"
                )
            }
        )
    if amount == 0 and not allow_zero:
        raise ValidationError({field: ValidationError(_("The amount must be greater than zero."), code="zero_amount")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: ValidationError(_("The amount is too large."), code="amount_too_large")})
    return amount.quantize(FEN)


def yuan(value: Decimal | None) -> str:
    """12345.6 -> '12,345.60' (for sentences that say 元, PDFs and e-mails); the shared formatter
    ``huifu.core.display.amount`` (pages use ``|money``: ¥12,345.60)."""
    from huifu.core.display import amount

    return amount(value or Decimal(0))
