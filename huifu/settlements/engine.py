"""The fee-reduction computation: pure functions, no database (inputs in, lines out).

Follows the rule schema of huifu/incentives/README.md ("Computation"), step by step; every
step that changes an amount is recorded in the line's ``explanation`` (a list of dicts with a
``step`` code, rendered by ``explain.py``):

1. ``window``      the member's window inside the period, and its trading days
2. ``figures``     V volume, T turnover, F fees (``Product.fee_for``), average OI over trading days
3. ``qualify``     minimum volume / average open interest (0 when not met)
4. ``measure``     M on the rule's basis
5. ``tier``        one per band: the part of M inside, the rate, the amount (marginal or whole)
6. ``payout``      × the participation's payout ratio (partial acceptance)
7. ``rule_cap``    the rule's cap per member for the product
8. ``round``       to the fen, ROUND_HALF_UP (the end of each line)
9. ``member_cap``  project cap per member: proportional scaling (statement level)
10. ``project_cap`` project total cap: proportional scaling over all members

Amounts are ``Decimal``; nothing is rounded before step 8; the cap scalings round to the fen and
hand the remainder to the largest line (ties: lowest sort key) so totals equal the cap exactly.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from huifu.incentives.tiers import Tier, TierMode, parse_tiers, tier_reduction

FEN = Decimal("0.01")
ZERO = Decimal("0")


def fen(value: Decimal) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def _s(value: Decimal | int | None) -> str | None:
    """Decimal as a plain string for the stored explanation."""
    if value is None:
        return None
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class RuleInput:
    """A snapshot of one ProjectRule and its product's fee basis."""

    product_id: int
    product_code: str
    basis: str
    tier_mode: str
    tiers: tuple[Tier, ...]
    min_volume: Decimal | None
    min_avg_open_interest: Decimal | None
    cap_per_member: Decimal | None
    fee_basis: str
    fee_per_lot: Decimal | None
    fee_rate: Decimal | None

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> RuleInput:
        def dec(key: str) -> Decimal | None:
            return None if data.get(key) in (None, "") else Decimal(str(data[key]))

        return cls(
            product_id=int(data["product_id"]),
            product_code=data["product_code"],
            basis=data["basis"],
            tier_mode=data["tier_mode"],
            tiers=tuple(parse_tiers(data["tiers"])),
            min_volume=dec("min_volume"),
            min_avg_open_interest=dec("min_avg_open_interest"),
            cap_per_member=dec("cap_per_member"),
            fee_basis=data["fee_basis"],
            fee_per_lot=dec("fee_per_lot"),
            fee_rate=dec("fee_rate"),
        )

    def fees(self, volume: int, turnover: Decimal) -> Decimal:
        """Same formula as ``Product.fee_for`` (linear, so the sum of daily fees equals this)."""
        if self.fee_basis == "per_lot":
            return Decimal(volume) * (self.fee_per_lot or ZERO)
        return Decimal(turnover) * (self.fee_rate or ZERO)


@dataclass(frozen=True)
class Figures:
    volume: int
    turnover: Decimal
    open_interest_sum: int
    trading_days: int

    @property
    def average_open_interest(self) -> Decimal:
        if not self.trading_days:
            return ZERO
        return Decimal(self.open_interest_sum) / Decimal(self.trading_days)


@dataclass
class LineResult:
    product_id: int | None
    product_code: str
    window: tuple[datetime.date, datetime.date] | None
    figures: Figures
    fees: Decimal
    measure: Decimal
    qualified: bool
    amount_before_caps: Decimal  # rounded line (step 8)
    amount: Decimal  # after member / project caps
    explanation: list[dict[str, Any]] = field(default_factory=list)
    sort_key: str = ""


def compute_line(
    *,
    rule: RuleInput,
    figures: Figures,
    window: tuple[datetime.date, datetime.date],
    payout_ratio: Decimal,
) -> LineResult:
    """Steps 1–8 for one product of one member."""
    steps: list[dict[str, Any]] = [
        {
            "step": "window",
            "start": window[0].isoformat(),
            "end": window[1].isoformat(),
            "trading_days": figures.trading_days,
        }
    ]
    fees = rule.fees(figures.volume, figures.turnover)
    avg_oi = figures.average_open_interest
    steps.append(
        {
            "step": "figures",
            "volume": figures.volume,
            "turnover": _s(figures.turnover),
            "fees": _s(fees),
            "fee_basis": rule.fee_basis,
            "fee_per_lot": _s(rule.fee_per_lot),
            "fee_rate": _s(rule.fee_rate),
            "open_interest_sum": figures.open_interest_sum,
            "avg_open_interest": _s(avg_oi.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        }
    )
    measure = {
        "volume": Decimal(figures.volume),
        "turnover": Decimal(figures.turnover),
        "fees": fees,
        "avg_open_interest": avg_oi,
    }[rule.basis]
    qualified = True
    if rule.min_volume is not None and Decimal(figures.volume) < rule.min_volume:
        qualified = False
        steps.append(
            {
                "step": "qualify",
                "ok": False,
                "reason": "min_volume",
                "required": _s(rule.min_volume),
                "actual": figures.volume,
            }
        )
    if rule.min_avg_open_interest is not None and avg_oi < rule.min_avg_open_interest:
        qualified = False
        steps.append(
            {
                "step": "qualify",
                "ok": False,
                "reason": "min_avg_open_interest",
                "required": _s(rule.min_avg_open_interest),
                "actual": _s(avg_oi.quantize(Decimal("0.0001"))),
            }
        )
    steps.append({"step": "measure", "basis": rule.basis, "value": _s(measure), "mode": rule.tier_mode})
    amount = ZERO
    if qualified:
        amount = tier_reduction(tiers=list(rule.tiers), mode=rule.tier_mode, measure=measure, fees=fees)
        steps.extend(_tier_steps(rule, measure, fees))
        if payout_ratio != 1:
            amount = amount * payout_ratio
            steps.append({"step": "payout", "ratio": _s(payout_ratio), "amount": _s(amount)})
        if rule.cap_per_member is not None and amount > rule.cap_per_member:
            amount = rule.cap_per_member
            steps.append({"step": "rule_cap", "cap": _s(rule.cap_per_member), "amount": _s(amount)})
    rounded = fen(amount)
    steps.append({"step": "round", "unrounded": _s(amount), "amount": _s(rounded)})
    return LineResult(
        product_id=rule.product_id,
        product_code=rule.product_code,
        window=window,
        figures=figures,
        fees=fees,
        measure=measure,
        qualified=qualified,
        amount_before_caps=rounded,
        amount=rounded,
        explanation=steps,
        sort_key=rule.product_code,
    )


def _tier_steps(rule: RuleInput, measure: Decimal, fees: Decimal) -> list[dict[str, Any]]:
    """One explanation step per band (the amounts add up to ``tier_reduction``)."""
    steps = []
    for tier in rule.tiers:
        band = {"step": "tier", "from": _s(tier.lower), "to": _s(tier.upper), "rate": _s(tier.rate)}
        if measure <= 0 or fees <= 0:
            band.update(inside="0", amount="0")
        elif rule.tier_mode == TierMode.WHOLE:
            hit = tier.lower <= measure and (tier.upper is None or measure < tier.upper)
            band.update(inside=_s(measure) if hit else "0", amount=_s(tier.rate * fees if hit else ZERO), applies=hit)
        else:
            top = measure if tier.upper is None else min(measure, tier.upper)
            inside = max(top - tier.lower, ZERO)
            band.update(inside=_s(inside), amount=_s(tier.rate * fees * inside / measure))
        steps.append(band)
    return steps


def award_line(*, amount: Decimal, accepted_on: datetime.date) -> LineResult:
    rounded = fen(amount)
    return LineResult(
        product_id=None,
        product_code="",
        window=None,
        figures=Figures(0, ZERO, 0, 0),
        fees=ZERO,
        measure=ZERO,
        qualified=True,
        amount_before_caps=rounded,
        amount=rounded,
        explanation=[{"step": "award", "accepted_on": accepted_on.isoformat(), "amount": _s(rounded)}],
        sort_key="~award",
    )


def scale_to(amounts: Sequence[Decimal], keys: Sequence[str], target: Decimal) -> list[Decimal]:
    """Scale fen amounts proportionally so they sum to ``target`` exactly.

    Each share is rounded down to the fen; the remainder goes to the largest amount (ties: the
    lowest key), so the result is deterministic and sums exactly to ``target``.
    """
    total = sum(amounts, ZERO)
    if total <= 0:
        return [ZERO for _ in amounts]
    target = fen(target)
    scaled = [(a * target / total).quantize(FEN, rounding=ROUND_DOWN) for a in amounts]
    remainder = target - sum(scaled, ZERO)
    if remainder and amounts:
        largest = min(range(len(amounts)), key=lambda i: (-amounts[i], keys[i]))
        scaled[largest] += remainder
    return scaled


@dataclass
class MemberResult:
    organisation_id: int
    member_key: str  # member number, for deterministic tie-breaking
    lines: list[LineResult]
    explanation: list[dict[str, Any]] = field(default_factory=list)

    @property
    def before_caps(self) -> Decimal:
        return sum((line.amount_before_caps for line in self.lines), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def apply_member_cap(member: MemberResult, cap: Decimal | None) -> None:
    """Step 9: the project's cap per member, all lines of the member together."""
    total = member.total
    if cap is None or total <= cap:
        return
    scaled = scale_to([line.amount for line in member.lines], [line.sort_key for line in member.lines], cap)
    for line, new in zip(member.lines, scaled, strict=True):
        line.explanation.append({"step": "member_cap", "cap": _s(cap), "before": _s(line.amount), "amount": _s(new)})
        line.amount = new
    member.explanation.append({"step": "member_cap", "cap": _s(cap), "before": _s(total), "amount": _s(cap)})


def apply_project_cap(members: list[MemberResult], cap: Decimal | None) -> None:
    """Step 10: the project's total cap, over all members, then within each member's lines."""
    totals = [m.total for m in members]
    grand = sum(totals, ZERO)
    if cap is None or grand <= cap:
        return
    new_totals = scale_to(totals, [m.member_key for m in members], cap)
    for member, old, new in zip(members, totals, new_totals, strict=True):
        lines = member.lines
        scaled = scale_to([line.amount for line in lines], [line.sort_key for line in lines], new)
        for line, amount in zip(lines, scaled, strict=True):
            line.explanation.append(
                {"step": "project_cap", "cap": _s(cap), "before": _s(line.amount), "amount": _s(amount)}
            )
            line.amount = amount
        member.explanation.append(
            {"step": "project_cap", "cap": _s(cap), "project_total": _s(grand), "before": _s(old), "amount": _s(new)}
        )
