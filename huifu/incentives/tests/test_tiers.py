from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from huifu.incentives.tiers import normalise_tiers, parse_tiers, tier_reduction


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


TIERS = [{"from": "0", "to": "100000", "rate": "0.10"}, {"from": "100000", "to": None, "rate": "0.20"}]


def test_marginal_hand_checked():
    # 150,000 lots, 300,000 CNY fees: 0.10 × 300k × 100k/150k + 0.20 × 300k × 50k/150k = 40,000
    r = tier_reduction(tiers=parse_tiers(TIERS), mode="marginal", measure=Decimal(150000), fees=Decimal(300000))
    assert r == Decimal("40000")


def test_whole_hand_checked():
    r = tier_reduction(tiers=parse_tiers(TIERS), mode="whole", measure=Decimal(150000), fees=Decimal(300000))
    assert r == Decimal("60000.00")
    r = tier_reduction(tiers=parse_tiers(TIERS), mode="whole", measure=Decimal(99999), fees=Decimal(1000))
    assert r == Decimal("100.00")


def test_boundary_belongs_to_upper_band():
    r = tier_reduction(tiers=parse_tiers(TIERS), mode="whole", measure=Decimal(100000), fees=Decimal(1000))
    assert r == Decimal("200.00")


def test_gap_and_threshold_earn_nothing():
    tiers = parse_tiers([{"from": "1000", "to": "5000", "rate": "0.1"}, {"from": "6000", "to": None, "rate": "0.2"}])
    assert tier_reduction(tiers=tiers, mode="whole", measure=Decimal(500), fees=Decimal(100)) == 0
    assert tier_reduction(tiers=tiers, mode="whole", measure=Decimal(5500), fees=Decimal(100)) == 0
    # marginal: 4000 of 5500 in band 1 → 0.1 × 100 × 4000/5500
    r = tier_reduction(tiers=tiers, mode="marginal", measure=Decimal(5500), fees=Decimal(100))
    assert r.quantize(Decimal("0.01")) == Decimal("7.27")


def test_zero_measure_or_fees():
    tiers = parse_tiers(TIERS)
    assert tier_reduction(tiers=tiers, mode="marginal", measure=Decimal(0), fees=Decimal(100)) == 0
    assert tier_reduction(tiers=tiers, mode="marginal", measure=Decimal(10), fees=Decimal(0)) == 0


def test_normalise_is_canonical():
    assert normalise_tiers([{"from": "0.00", "to": "10", "rate": "0.100"}]) == [
        {"from": "0", "to": "10", "rate": "0.1"}
    ]


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ("nope", "list"),
        ([], "at least one"),
        ([{"from": "0", "rate": "1.5"}], "must not exceed 1"),
        ([{"from": "0", "rate": "-0.1"}], "must not be negative"),
        ([{"from": "-1", "rate": "0.1"}], "“from” must not be negative"),
        ([{"from": "10", "to": "5", "rate": "0.1"}], "greater than"),
        ([{"from": "0", "to": "100", "rate": "0.1"}, {"from": "50", "to": None, "rate": "0.2"}], "overlaps"),
        ([{"from": "0", "to": None, "rate": "0.1"}, {"from": "50", "to": None, "rate": "0.2"}], "only the last"),
        ([{"from": "0", "rate": 0.1}], "string"),
        ([{"from": "x", "rate": "0.1"}], "not a number"),
        ([{"from": "0", "rate": "0.1", "extra": "1"}], "unknown keys"),
        ([{"rate": "0.1"}], "needs"),
    ],
)
def test_invalid_tiers_are_refused_with_a_clear_message(tiers, message):
    with pytest.raises(ValidationError) as exc:
        parse_tiers(tiers)
    assert message in " ".join(exc.value.messages)
