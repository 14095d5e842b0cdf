"""Public figures: exchange-wide counts with small counts suppressed.

A count from 1 to ``minimum - 1`` is shown as "fewer than N". So that a hidden count cannot be
recovered from the total of its column, a column with exactly one hidden count also hides its
next smallest non-zero count (complementary suppression); a total below the minimum is hidden
too. The minimum is data (``PublicThreshold``), applied on every request to the cached figures,
so a change takes effect at once on the page, its exports and the API."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext

from .figures import Dashboard, Table


@dataclass(frozen=True)
class Suppressed:
    minimum: int

    def __str__(self) -> str:
        return pgettext("dashboards", "fewer than %(n)d") % {"n": self.minimum}


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def suppress_table(table: Table, minimum: int) -> Table:
    rows = [list(r) for r in table.rows]
    total = list(table.total) if table.total else None
    width = len(table.columns)
    for i in range(1, width):
        small = [n for n, r in enumerate(rows) if _is_count(r[i]) and 0 < r[i] < minimum]
        if len(small) == 1:
            others = sorted((r[i], n) for n, r in enumerate(rows) if n not in small and _is_count(r[i]) and r[i] > 0)
            if others:
                small.append(others[0][1])
        for n in small:
            rows[n][i] = Suppressed(minimum)
        if total and _is_count(total[i]) and 0 < total[i] < minimum:
            total[i] = Suppressed(minimum)
    return Table(table.columns, rows, total)


def suppressed(dashboard: Dashboard, minimum: int) -> Dashboard:
    result = copy.copy(dashboard)
    result.panels = []
    for panel in dashboard.panels:
        p = copy.copy(panel)
        p.table = suppress_table(panel.table, minimum)
        result.panels.append(p)
    return result
