"""The computation against figures checked by hand (no database)."""

import datetime as dt
from decimal import Decimal

from huifu.settlements import engine

D = dt.date
W = (D(2024, 1, 1), D(2024, 12, 31))


def rule(**kw):
    data = {
        "product_id": 1,
        "product_code": "ss",
        "basis": "volume",
        "tier_mode": "marginal",
        "tiers": [{"from": "0", "to": "100000", "rate": "0.10"}, {"from": "100000", "to": None, "rate": "0.20"}],
        "min_volume": None,
        "min_avg_open_interest": None,
        "cap_per_member": None,
        "fee_basis": "per_lot",
        "fee_per_lot": "2",
        "fee_rate": None,
    }
    data.update(kw)
    return engine.RuleInput.from_snapshot(data)


def fig(volume=150000, turnover="0", oi_sum=0, days=242):
    return engine.Figures(volume=volume, turnover=Decimal(turnover), open_interest_sum=oi_sum, trading_days=days)


def test_marginal_tiers_readme_example():
    # 150 000 lots × 2 CNY = 300 000 fees; 0.10 × 300 000 × 100/150 + 0.20 × 300 000 × 50/150 = 20 000 + 20 000.
    line = engine.compute_line(rule=rule(), figures=fig(), window=W, payout_ratio=Decimal(1))
    assert line.fees == Decimal(300000)
    assert line.amount == Decimal("40000.00")
    tiers = [s for s in line.explanation if s["step"] == "tier"]
    assert [(t["inside"], t["amount"]) for t in tiers] == [("100000", "20000"), ("50000", "20000")]


def test_whole_tiers():
    line = engine.compute_line(rule=rule(tier_mode="whole"), figures=fig(), window=W, payout_ratio=Decimal(1))
    assert line.amount == Decimal("60000.00")
    below = engine.compute_line(
        rule=rule(tier_mode="whole"), figures=fig(volume=99999), window=W, payout_ratio=Decimal(1)
    )
    assert below.amount == Decimal("19999.80")  # 0.10 × 199 998


def test_turnover_rate_fees_and_rounding_half_up():
    # Copper: fees 0.00005 × 1 234 567.89 = 61.7283945; rate 0.10 → 6.17283945 → 6.17.
    r = rule(
        product_code="cu",
        basis="fees",
        fee_basis="turnover_rate",
        fee_per_lot=None,
        fee_rate="0.00005",
        tiers=[{"from": "0", "to": None, "rate": "0.10"}],
    )
    line = engine.compute_line(rule=r, figures=fig(volume=10, turnover="1234567.89"), window=W, payout_ratio=Decimal(1))
    assert line.amount == Decimal("6.17")
    # Half up at the fen: 0.125 → 0.13.
    r2 = rule(tiers=[{"from": "0", "to": None, "rate": "0.0625"}])
    assert engine.compute_line(rule=r2, figures=fig(volume=1), window=W, payout_ratio=Decimal(1)).amount == Decimal(
        "0.13"
    )


def test_rule_cap_and_payout_ratio():
    line = engine.compute_line(rule=rule(cap_per_member="30000"), figures=fig(), window=W, payout_ratio=Decimal("0.5"))
    assert line.amount == Decimal("20000.00")  # 40 000 × 0.5, under the cap
    capped = engine.compute_line(rule=rule(cap_per_member="30000"), figures=fig(), window=W, payout_ratio=Decimal(1))
    assert capped.amount == Decimal("30000.00")
    assert capped.explanation[-2]["step"] == "rule_cap"


def test_minimums_use_trading_day_averages():
    r = rule(basis="avg_open_interest", min_avg_open_interest="140", tiers=[{"from": "0", "to": None, "rate": "0.5"}])
    # 15 trading days × 150 lots: average 150 over trading days (132.35 if divided by 17 working days).
    ok = engine.compute_line(rule=r, figures=fig(volume=1000, oi_sum=2250, days=15), window=W, payout_ratio=Decimal(1))
    assert ok.qualified and ok.amount == Decimal("1000.00")  # 0.5 × 2 000 fees
    short = engine.compute_line(
        rule=r, figures=fig(volume=1000, oi_sum=2250, days=17), window=W, payout_ratio=Decimal(1)
    )
    assert not short.qualified and short.amount == Decimal("0.00")


def test_scale_to_gives_the_remainder_to_the_largest():
    assert engine.scale_to(
        [Decimal("100.00"), Decimal("50.00"), Decimal("50.00")], ["a", "b", "c"], Decimal("100")
    ) == [Decimal("50.00"), Decimal("25.00"), Decimal("25.00")]
    assert engine.scale_to([Decimal("1.00")] * 3, ["b", "a", "c"], Decimal("1.00")) == [
        Decimal("0.33"),
        Decimal("0.34"),
        Decimal("0.33"),
    ]


def test_member_and_project_caps():
    a = engine.MemberResult(
        1,
        "0101",
        [
            engine.award_line(amount=Decimal("600"), accepted_on=D(2024, 1, 2)),
            engine.award_line(amount=Decimal("400"), accepted_on=D(2024, 1, 2)),
        ],
    )
    b = engine.MemberResult(2, "0202", [engine.award_line(amount=Decimal("500"), accepted_on=D(2024, 1, 2))])
    engine.apply_member_cap(a, Decimal("800"))
    assert [line.amount for line in a.lines] == [Decimal("480.00"), Decimal("320.00")]
    engine.apply_project_cap([a, b], Decimal("1000"))
    # 800 + 500 = 1300 > 1000: a → 615.38 (+0.01 remainder: largest), b → 384.61.
    assert a.total + b.total == Decimal("1000.00")
    assert (a.total, b.total) == (Decimal("615.39"), Decimal("384.61"))
