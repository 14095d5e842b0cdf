from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from huifu.budget.money import clean_money, yuan


@pytest.mark.parametrize(
    "raw,expected", [("12345.6", "12345.60"), ("1,000.00", "1000.00"), (7, "7.00"), (Decimal("0.01"), "0.01")]
)
def test_clean_money_quantizes_to_the_fen(raw, expected):
    assert clean_money(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw,code",
    [
        ("-1", "negative_amount"),
        ("1.001", "too_many_decimals"),
        ("abc", "invalid_amount"),
        ("0", "zero_amount"),
        ("NaN", "invalid_amount"),
        (None, "invalid_amount"),
    ],
)
def test_clean_money_refuses_with_a_named_field(raw, code):
    with pytest.raises(ValidationError) as exc:
        clean_money(raw, field="amount")
    assert exc.value.error_dict["amount"][0].code == code


def test_zero_only_when_allowed():
    assert clean_money("0", allow_zero=True) == Decimal("0.00")


def test_yuan_formats_thousands():
    assert yuan(Decimal("1234567.5")) == "1,234,567.50"
