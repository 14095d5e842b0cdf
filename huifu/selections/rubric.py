"""A category's rubric is a frozen scheme version of the awards engine (``huifu.awards``): this
module is the one place that reads it for the selection: the judged indicators and their scale,
the computed ones and their metric keys, the bonus items fed from Huifu's data."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from huifu.awards.services.schemes import scheme_spec
from huifu.awards.services.scoring import IndicatorSpec, SchemeSpec

JUDGED = "judges"
COMPUTED = "computed"


def spec_of(category: Any) -> SchemeSpec:
    return scheme_spec(category.scheme)


def scale_of(category: Any) -> Decimal:
    return Decimal(category.scheme.scale)


def judged_indicators(category: Any) -> list[IndicatorSpec]:
    return [i for i in spec_of(category).leaves() if i.source == JUDGED]


def computed_metrics(category: Any) -> dict[str, str]:
    """Leaf code → metric key of the computed indicators."""
    leaves = {i.code for i in spec_of(category).leaves()}
    return {
        i.code: i.metric
        for i in category.scheme.indicators.all()
        if i.code in leaves and i.source == COMPUTED and i.metric
    }
