"""Pure arithmetic of the results (no database): per-judge normalisation, the quota formula,
ranking with the tie rule. Tested directly (tests/test_ranking.py)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

THREE = Decimal("0.001")


def q3(value: Decimal | float) -> Decimal:
    return Decimal(str(value)).quantize(THREE, rounding=ROUND_HALF_UP)


def _mean_sd(values: Sequence[Decimal]) -> tuple[float, float]:
    floats = [float(v) for v in values]
    mean = sum(floats) / len(floats)
    variance = sum((v - mean) ** 2 for v in floats) / len(floats)  # population sd
    return mean, math.sqrt(variance)


def normalise(
    scores: Mapping[tuple[int, int], Decimal], *, min_scores: int, scale: Decimal
) -> tuple[dict[tuple[int, int], Decimal], dict[str, Any]]:
    """``scores``: (judge, application) → the judge's score of one indicator.

    A judge with at least ``min_scores`` scores has each score turned into its z-score among
    the judge's own scores and mapped back onto the scale with the mean and standard deviation
    of all judges' scores (pool), clamped to 0..scale. A judge below the threshold, or whose
    scores are all equal (no spread to measure), keeps the raw scores. Returns the values and
    the method (per judge: n, mean, sd, used) to store with the result."""
    by_judge: dict[int, list[tuple[int, Decimal]]] = {}
    for (judge, application), value in scores.items():
        by_judge.setdefault(judge, []).append((application, value))
    method: dict[str, Any] = {"method": "z-score per judge, mapped to the pool", "min_scores": min_scores, "judges": {}}
    if not scores:
        return {}, method
    pool_mean, pool_sd = _mean_sd(list(scores.values()))
    method["pool_mean"] = str(q3(pool_mean))
    method["pool_sd"] = str(q3(pool_sd))
    result: dict[tuple[int, int], Decimal] = {}
    for judge, rows in sorted(by_judge.items()):
        mean, sd = _mean_sd([v for _a, v in rows])
        used = len(rows) >= min_scores and sd > 0
        reason = "" if used else ("below threshold" if len(rows) < min_scores else "no spread")
        method["judges"][str(judge)] = {
            "n": len(rows),
            "mean": str(q3(mean)),
            "sd": str(q3(sd)),
            "used": used,
            "reason": reason,
        }
        for application, value in rows:
            if used:
                mapped = pool_mean + (float(value) - mean) / sd * pool_sd
                mapped = min(max(mapped, 0.0), float(scale))
                result[(judge, application)] = q3(mapped)
            else:
                result[(judge, application)] = q3(value)
    return result, method


ROUNDINGS = {"floor": ROUND_FLOOR, "ceil": ROUND_CEILING, "half_up": ROUND_HALF_UP}


def quota(*, applicants: int, threshold: int, percent: Decimal, maximum: int, rounding: str) -> tuple[int, str]:
    """How many may win, and the formula as applied (shown with the result).

    Fewer applicants than ``threshold``: ``applicants × percent %`` rounded as declared;
    otherwise ``maximum``. Never more than the applicants."""
    if applicants < threshold:
        exact = Decimal(applicants) * Decimal(percent) / Decimal(100)
        value = int(exact.to_integral_value(rounding=ROUNDINGS[rounding]))
        formula = f"{applicants} < {threshold}: {applicants} × {Decimal(percent).normalize():f}% = {exact.normalize():f} → {value} ({rounding})"
    else:
        value = maximum
        formula = f"{applicants} ≥ {threshold}: {maximum}"
    return min(value, applicants), formula


@dataclass
class Ranked:
    key: int
    total: Decimal
    judges: Decimal
    rank: int = 0
    winner: bool = False
    note: str = ""


def rank(rows: Sequence[Ranked], *, quota: int) -> list[Ranked]:
    """Order by total, then the judges' score (the declared tie-break); equal on both share a
    rank (1, 2, 2, 4). Winners are the rows ranked within the quota; a group still tied across
    the quota boundary is left out whole (the quota is a maximum, never exceeded) and noted."""
    ordered = sorted(rows, key=lambda r: (-r.total, -r.judges, r.key))
    position = 0
    previous: tuple[Decimal, Decimal] | None = None
    for index, row in enumerate(ordered, start=1):
        if (row.total, row.judges) != previous:
            position = index
            previous = (row.total, row.judges)
        row.rank = position
    for row in ordered:
        tied = [r for r in ordered if r.rank == row.rank]
        last_position = row.rank + len(tied) - 1
        if last_position <= quota:
            row.winner = True
        elif row.rank <= quota:
            row.note = "tied at the quota boundary"
    return ordered
