"""The fee-reduction computation: pure functions, no database (inputs in, lines out).

Follows the rule schema of huifu/incentives/README.md ("Computation"), step by step; every
step that changes an amount is recorded in the line's ``explanation`` (a list of dicts with a
``step`` code, rendered by ``explain.py``):

1. ``window``      the member's window inside the period, its trading days, why it starts or ends
                   there (joining date), the closures and make-up working days left out, and the
                   days without data when the project treats them as missing
2. ``figures``     V volume, T turnover, F fees (``Product.fee_for``), average OI over trading days
3. ``prorate``     (pro-rating projects, short windows) the share applied to bounds and caps
4. ``qualify``     minimum volume / average open interest (0 when not met)
5. ``measure``     M on the rule's basis
6. ``tier`` / ``tier_whole`` / ``tier_none``   the bands that earn (marginal), the band M falls in
                   (whole), or none
7. ``payout``      × the participation's payout ratio (before or after step 8: ``payout_after_cap``)
8. ``rule_cap``    the rule's cap per member for the product, less what earlier runs paid
9. ``round``       to the fen, ROUND_HALF_UP (the line's only rounding)
10. ``member_cap``  project cap per member: proportional scaling (statement level)
11. ``project_cap`` project total cap: proportional scaling over all members

Amounts are ``Decimal``; nothing is rounded before step 9; the cap scalings (``scale_shares``)
round each share down to the fen and hand the fen left over to the largest amount (ties: lowest
sort key), so totals equal the cap exactly. Caps that hold for the whole project receive what
earlier approved runs paid (``used``) and scale to the cap left. A line that earns nothing gets
no cap step.
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


def _prorated_tiers(tiers: Sequence[Tier], factor: Decimal) -> list[Tier]:
    return [Tier(t.lower * factor, None if t.upper is None else t.upper * factor, t.rate) for t in tiers]


def compute_line(
    *,
    rule: RuleInput,
    figures: Figures,
    window: tuple[datetime.date, datetime.date],
    payout_ratio: Decimal,
    prorate: Decimal | None = None,
    rule_cap_used: Decimal = ZERO,
    rule_cap_scope: str = "run",
    payout_after_cap: bool = False,
    window_info: dict[str, Any] | None = None,
) -> LineResult:
    """Steps 1–8 for one product of one member.

    ``prorate`` (0 < f ≤ 1): the member took part in only this share of the period's trading
    days; tier bounds on a summed basis, the minimum volume and the product cap shrink by f
    (never the daily average open interest, which is already an average).
    ``rule_cap_used``: what earlier approved settlements paid this member for this product
    (product cap over the whole project); the cap left is cap − used.
    ``payout_after_cap``: the product cap applies to the full reduction, the payout ratio after.
    """
    steps: list[dict[str, Any]] = [
        {
            "step": "window",
            "start": window[0].isoformat(),
            "end": window[1].isoformat(),
            "trading_days": figures.trading_days,
            **(window_info or {}),
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
    tiers = list(rule.tiers)
    min_volume = rule.min_volume
    cap = rule.cap_per_member
    if prorate is not None and prorate != 1:
        steps.append({"step": "prorate", "factor": _s(prorate), "basis": rule.basis})
        if rule.basis != "avg_open_interest":
            tiers = _prorated_tiers(tiers, prorate)
        min_volume = None if min_volume is None else min_volume * prorate
        cap = None if cap is None else cap * prorate
    qualified = True
    if min_volume is not None and Decimal(figures.volume) < min_volume:
        qualified = False
        steps.append(
            {
                "step": "qualify",
                "ok": False,
                "reason": "min_volume",
                "required": _s(min_volume),
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
        amount = tier_reduction(tiers=tiers, mode=rule.tier_mode, measure=measure, fees=fees)
        steps.extend(_tier_steps(rule.tier_mode, tiers, measure, fees))
        if payout_after_cap:
            amount = _rule_cap(amount, cap, rule_cap_used, rule_cap_scope, steps)
            amount = _payout(amount, payout_ratio, steps)
        else:
            amount = _payout(amount, payout_ratio, steps)
            amount = _rule_cap(amount, cap, rule_cap_used, rule_cap_scope, steps)
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


def _payout(amount: Decimal, ratio: Decimal, steps: list[dict[str, Any]]) -> Decimal:
    if ratio == 1:
        return amount
    amount = amount * ratio
    steps.append({"step": "payout", "ratio": _s(ratio), "amount": _s(amount)})
    return amount


def _rule_cap(amount: Decimal, cap: Decimal | None, used: Decimal, scope: str, steps: list[dict[str, Any]]) -> Decimal:
    if cap is None:
        return amount
    left = max(cap - used, ZERO)
    if amount <= left:
        return amount
    steps.append(
        {
            "step": "rule_cap",
            "cap": _s(cap),
            "scope": scope,
            "used_before": _s(used),
            "left": _s(left),
            "amount": _s(left),
        }
    )
    return left


def _tier_steps(mode: str, tiers: Sequence[Tier], measure: Decimal, fees: Decimal) -> list[dict[str, Any]]:
    """The tier steps that earn something, adding up to ``tier_reduction``.

    Whole-amount tiers: one step naming the band M falls in (rate × the whole fees), or that it
    falls in none. Marginal tiers: one step per band M reaches (rate × F × part inside / M).
    """
    if mode == TierMode.WHOLE:
        for index, tier in enumerate(tiers, start=1):
            if measure > 0 and fees > 0 and tier.lower <= measure and (tier.upper is None or measure < tier.upper):
                return [
                    {
                        "step": "tier_whole",
                        "band": index,
                        "from": _s(tier.lower),
                        "to": _s(tier.upper),
                        "rate": _s(tier.rate),
                        "fees": _s(fees),
                        "amount": _s(tier.rate * fees),
                    }
                ]
        return [{"step": "tier_none", "value": _s(measure)}]
    steps = []
    if measure > 0 and fees > 0:
        for index, tier in enumerate(tiers, start=1):
            top = measure if tier.upper is None else min(measure, tier.upper)
            inside = max(top - tier.lower, ZERO)
            if inside <= 0:
                continue
            steps.append(
                {
                    "step": "tier",
                    "band": index,
                    "from": _s(tier.lower),
                    "to": _s(tier.upper),
                    "rate": _s(tier.rate),
                    "inside": _s(inside),
                    "measure": _s(measure),
                    "fees": _s(fees),
                    "amount": _s(tier.rate * fees * inside / measure),
                }
            )
    return steps or [{"step": "tier_none", "value": _s(measure)}]


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


@dataclass(frozen=True)
class Share:
    """One amount scaled to a cap: exact = amount × target ÷ total; amount = exact rounded down
    to the fen, plus ``remainder_fen`` fen when this amount is the one that takes the remainder."""

    before: Decimal
    exact: Decimal
    amount: Decimal
    remainder_fen: int


def scale_shares(amounts: Sequence[Decimal], keys: Sequence[str], target: Decimal) -> list[Share]:
    """Scale fen amounts proportionally so they sum to ``target`` exactly (the one rounding rule).

    Each share is amount × target ÷ total rounded **down** to the fen; the fen left over go to
    the largest amount (ties: the lowest key), so the result is deterministic and sums exactly
    to ``target``.
    """
    total = sum(amounts, ZERO)
    if total <= 0:
        return [Share(a, ZERO, ZERO, 0) for a in amounts]
    target = fen(max(target, ZERO))
    exact = [a * target / total for a in amounts]
    scaled = [e.quantize(FEN, rounding=ROUND_DOWN) for e in exact]
    remainder = target - sum(scaled, ZERO)
    largest = min(range(len(amounts)), key=lambda i: (-amounts[i], keys[i])) if amounts else -1
    return [
        Share(a, e, sc + (remainder if i == largest else ZERO), int(remainder / FEN) if i == largest else 0)
        for i, (a, e, sc) in enumerate(zip(amounts, exact, scaled, strict=True))
    ]


def scale_to(amounts: Sequence[Decimal], keys: Sequence[str], target: Decimal) -> list[Decimal]:
    """The amounts of :func:`scale_shares`."""
    return [share.amount for share in scale_shares(amounts, keys, target)]


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


def _share_step(kind: str, share: Share, target: Decimal, total: Decimal, **extra: Any) -> dict[str, Any]:
    return {
        "step": kind,
        "before": _s(share.before),
        "target": _s(target),
        "total": _s(total),
        "exact": _s(share.exact),
        "remainder_fen": share.remainder_fen,
        "amount": _s(share.amount),
        **extra,
    }


def _scale_lines(
    member: MemberResult, target: Decimal, kind: str, outer: tuple[Share, Decimal, Decimal] | None = None, **extra: Any
) -> None:
    """Scale the member's lines to ``target``; a cap step on every line that earned something.
    ``outer`` (share, cap left, total of all members): the member's own share of a project cap;
    a member with one earning line shows that share on the line (the same figures)."""
    amounts = [line.amount for line in member.lines]
    total = sum(amounts, ZERO)
    shares = scale_shares(amounts, [line.sort_key for line in member.lines], target)
    earning = sum(1 for a in amounts if a > 0)
    for line, share in zip(member.lines, shares, strict=True):
        if share.before > 0:
            if outer is not None and earning == 1:
                line.explanation.append(_share_step(kind, outer[0], outer[1], outer[2], **extra))
            else:
                line.explanation.append(_share_step(kind, share, fen(target), total, **extra))
        line.amount = share.amount


def apply_member_cap(
    member: MemberResult,
    cap: Decimal | None,
    *,
    used: Decimal = ZERO,
    scope: str = "run",
    factor: Decimal | None = None,
) -> None:
    """Step 9: the project's cap per member, all lines of the member together. ``used`` is what
    earlier approved settlements paid the member (cap over the whole project); ``factor`` the
    pro-rating share of a member that joined mid-period."""
    if cap is None:
        return
    effective = cap * factor if factor is not None else cap
    left = fen(max(effective - used, ZERO)) if used or factor is not None else cap
    total = member.total
    if total <= left:
        return
    info = {"cap": _s(cap), "scope": scope, "used_before": _s(used), "left": _s(left)}
    if factor is not None:
        info["factor"] = _s(factor)
    _scale_lines(member, left, "member_cap", **info)
    member.explanation.append({"step": "member_cap", "before": _s(total), "amount": _s(member.total), **info})


def apply_project_cap(
    members: list[MemberResult], cap: Decimal | None, *, used: Decimal = ZERO, scope: str = "run"
) -> None:
    """Step 10: the project's total cap (less what earlier approved settlements paid, when it
    holds for the whole project), over all members, then within each member's lines."""
    totals = [m.total for m in members]
    grand = sum(totals, ZERO)
    if cap is None:
        return
    left = fen(max(cap - used, ZERO))
    if grand <= left:
        return
    info = {"cap": _s(cap), "scope": scope, "used_before": _s(used), "left": _s(left), "project_total": _s(grand)}
    shares = scale_shares(totals, [m.member_key for m in members], left)
    for member, share in zip(members, shares, strict=True):
        if share.before <= 0:
            continue
        _scale_lines(member, share.amount, "project_cap", outer=(share, left, grand), **info)
        member.explanation.append(_share_step("project_cap", share, left, grand, **info))
