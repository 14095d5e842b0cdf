"""The scoring engine: pure functions from a frozen scheme and stored inputs to scores.

Nothing here reads Huifu's live data or writes anything, so a result can be recomputed from its
stored inputs years later and give the same figures (``replay``).

* A leaf indicator scores 0..scale. A computed or entered value is scaled against the best
  value of the year among the evaluated (higher is better: value / best × scale; lower is better:
  lowest / value × scale, 0 stays best); a judges' indicator is the judges' score itself.
* A parent scores Σ child weight % × child score; the total is the same over the top level.
* Bonuses: each item capped by its own cap, their sum by the scheme's cap.
* Deductions: measures are grouped by violation; a violation counts once, with the heaviest
  measure's points (择其重者), never the sum; the violations' points add up, capped by the
  scheme's deduction cap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

TWO = Decimal("0.01")
HUNDRED = Decimal("100")


def q2(value: Decimal) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorSpec:
    """A scheme's indicator as the engine sees it (read from the models or from a stored
    snapshot)."""

    code: str
    parent: str | None
    weight: Decimal
    direction: str = "higher"
    source: str = "computed"
    name_zh: str = ""
    name_en: str = ""
    unit: str = ""


@dataclass(frozen=True)
class SchemeSpec:
    indicators: tuple[IndicatorSpec, ...]
    scale: Decimal = HUNDRED
    bonus_caps: Mapping[str, Decimal] = field(default_factory=dict)
    bonus_cap: Decimal | None = None
    deduction_points: Mapping[str, Decimal] = field(default_factory=dict)
    deduction_cap: Decimal | None = None

    def children(self, parent: str | None) -> list[IndicatorSpec]:
        return [i for i in self.indicators if i.parent == parent]

    def leaves(self) -> list[IndicatorSpec]:
        parents = {i.parent for i in self.indicators}
        return [i for i in self.indicators if i.code not in parents]

    def top_level(self) -> list[IndicatorSpec]:
        return self.children(None)

    def as_json(self) -> dict[str, Any]:
        return {
            "scale": str(self.scale),
            "indicators": [
                {
                    "code": i.code,
                    "parent": i.parent,
                    "weight": str(i.weight),
                    "direction": i.direction,
                    "source": i.source,
                    "name_zh": i.name_zh,
                    "name_en": i.name_en,
                    "unit": i.unit,
                }
                for i in self.indicators
            ],
            "bonus_caps": {k: str(v) for k, v in self.bonus_caps.items()},
            "bonus_cap": None if self.bonus_cap is None else str(self.bonus_cap),
            "deduction_points": {k: str(v) for k, v in self.deduction_points.items()},
            "deduction_cap": None if self.deduction_cap is None else str(self.deduction_cap),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SchemeSpec:
        def dec(value: Any) -> Decimal | None:
            return None if value is None else Decimal(value)

        return cls(
            indicators=tuple(
                IndicatorSpec(
                    code=i["code"],
                    parent=i["parent"],
                    weight=Decimal(i["weight"]),
                    direction=i["direction"],
                    source=i["source"],
                    name_zh=i.get("name_zh", ""),
                    name_en=i.get("name_en", ""),
                    unit=i.get("unit", ""),
                )
                for i in data["indicators"]
            ),
            scale=Decimal(data["scale"]),
            bonus_caps={k: Decimal(v) for k, v in data["bonus_caps"].items()},
            bonus_cap=dec(data["bonus_cap"]),
            deduction_points={k: Decimal(v) for k, v in data["deduction_points"].items()},
            deduction_cap=dec(data["deduction_cap"]),
        )


@dataclass(frozen=True)
class WeightProblem:
    parent: str | None  # None: the top level
    total: Decimal


def weight_problems(indicators: Iterable[IndicatorSpec]) -> list[WeightProblem]:
    """Each level (the top level, and the children of each parent) whose weights do not add up
    to exactly 100 %."""
    return [WeightProblem(parent, total) for parent, total in weight_sums(indicators).items() if total != HUNDRED]


def weight_sums(indicators: Iterable[IndicatorSpec]) -> dict[str | None, Decimal]:
    """The sum of the weights of each level ({parent code or None for the top level: percent}),
    in the order the levels first appear. The one place the 100 % rule reads its sums."""
    sums: dict[str | None, Decimal] = {}
    for indicator in indicators:
        sums[indicator.parent] = sums.get(indicator.parent, Decimal("0")) + Decimal(indicator.weight)
    return sums


def scale_values(
    values: Mapping[int, Decimal | None], *, direction: str, scale: Decimal = HUNDRED
) -> dict[int, Decimal]:
    """Scores 0..scale for one indicator's values of every subject (None counts as 0 / worst)."""
    present = [v for v in values.values() if v is not None]
    scores: dict[int, Decimal] = {}
    if direction == "lower":
        best = min(present) if present else None
        for subject, value in values.items():
            if value is None or best is None:
                scores[subject] = Decimal("0")
            elif value <= 0:
                scores[subject] = scale
            else:
                scores[subject] = q2(max(best, Decimal("0")) / value * scale) if best > 0 else Decimal("0")
        return scores
    best = max(present) if present else None
    for subject, value in values.items():
        if value is None or best is None or best <= 0 or value <= 0:
            scores[subject] = Decimal("0")
        else:
            scores[subject] = q2(value / best * scale)
    return scores


@dataclass
class Deduction:
    violation: str
    counted_kind: str
    points: Decimal
    measures: list[dict[str, Any]]  # every measure of the violation, as documented


def deductions_for(measures: Sequence[Mapping[str, Any]], points: Mapping[str, Decimal]) -> list[Deduction]:
    """One deduction per violation: the heaviest of its measures (择其重者), never their sum.
    ``measures`` are dicts with ``violation``, ``kind``, ``document_number``, ``issued_on``;
    a measure kind without points in the scheme deducts nothing (shown with 0)."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for measure in measures:
        grouped.setdefault(measure["violation"], []).append(measure)
    result = []
    for violation, group in sorted(grouped.items()):
        heaviest = max(group, key=lambda m: (points.get(m["kind"], Decimal("0")), m["document_number"]))
        result.append(
            Deduction(
                violation=violation,
                counted_kind=heaviest["kind"],
                points=Decimal(points.get(heaviest["kind"], Decimal("0"))),
                measures=[dict(m) for m in group],
            )
        )
    return result


@dataclass
class Score:
    leaf_scores: dict[str, Decimal]
    node_scores: dict[str, Decimal]
    base: Decimal
    bonus: Decimal
    bonuses: dict[str, Decimal]
    deduction: Decimal
    deductions: list[Deduction]
    total: Decimal


def score(
    spec: SchemeSpec,
    leaf_scores: Mapping[str, Decimal],
    *,
    bonuses: Mapping[str, Decimal] | None = None,
    measures: Sequence[Mapping[str, Any]] = (),
) -> Score:
    """The weighted total of one subject from its leaf scores (0..scale each; a missing leaf
    scores 0), plus capped bonuses, minus deductions (max per violation)."""
    node: dict[str, Decimal] = {}

    def node_score(indicator: IndicatorSpec) -> Decimal:
        children = spec.children(indicator.code)
        if not children:
            value = Decimal(leaf_scores.get(indicator.code, Decimal("0")))
        else:
            value = sum((Decimal(c.weight) * node_score(c) / HUNDRED for c in children), Decimal("0"))
        node[indicator.code] = q2(value)
        return value

    base = q2(sum((Decimal(i.weight) * node_score(i) / HUNDRED for i in spec.top_level()), Decimal("0")))
    granted: dict[str, Decimal] = {}
    for code, points in (bonuses or {}).items():
        cap = spec.bonus_caps.get(code)
        if cap is None:
            continue
        granted[code] = min(Decimal(points), cap)
    bonus = sum(granted.values(), Decimal("0"))
    if spec.bonus_cap is not None:
        bonus = min(bonus, spec.bonus_cap)
    counted = deductions_for(measures, spec.deduction_points)
    deduction = sum((d.points for d in counted), Decimal("0"))
    if spec.deduction_cap is not None:
        deduction = min(deduction, spec.deduction_cap)
    return Score(
        leaf_scores={k: q2(Decimal(v)) for k, v in leaf_scores.items()},
        node_scores=node,
        base=base,
        bonus=q2(bonus),
        bonuses=granted,
        deduction=q2(deduction),
        deductions=counted,
        total=q2(base + bonus - deduction),
    )
