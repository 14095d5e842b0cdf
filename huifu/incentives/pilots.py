"""The pilot programmes absorbed into “上期强源助企” in 2023 (the seed plan's footnote).

English names are our translations; descriptions are deliberately short and generic.
"""

from __future__ import annotations

from typing import Any

PILOTS: list[tuple[str, str]] = [
    ("一路铜行", "Copper All the Way"),
    ("丰羽行动", "Feather Growth Action"),
    ("助实体、稳发展", "Help the Real Economy, Stabilise Development"),
    ("综合服务平台交易减收", "Comprehensive service platform trading fee reduction"),
    ("期权稳产行动", "Options for Stable Production"),
    ("提升期权市场运行质量", "Improving Options Market Quality"),
    ("走进企业 服务实体", "Into Enterprises, Serving the Real Economy"),
    ("期货稳价订单", "Futures Price-Stabilising Orders"),
]


def load_pilots(model: Any) -> int:
    """Create missing pilot programmes by Chinese name; returns how many were created."""
    existing = set(model.objects.values_list("name_zh", flat=True))
    created = 0
    for index, (name_zh, name_en) in enumerate(PILOTS):
        if name_zh not in existing:
            model.objects.create(name_zh=name_zh, name_en=name_en, sort_order=(index + 1) * 10)
            created += 1
    return created
