"""Server-rendered SVG charts of a panel's table (no JavaScript, so nothing for the
Content-Security-Policy to refuse, and the same picture in every browser and on paper).

Every label is escaped. A chart is ``aria-hidden``: the table beside it carries the same figures
for screen readers. Sizes are in a small view box (480 wide), so on a 390 px phone the text
stays legible after scaling.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .figures import Panel

WIDTH = 480
COLOURS = ("#1f6feb", "#16a34a", "#d97706", "#9333ea", "#dc2626", "#0891b2")
FONT = "font-family=\"'Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif\""


def _num(value: Any) -> float:
    if value is None or not isinstance(value, (int, float, Decimal)):
        return 0.0
    return float(value)


def _short(value: float) -> str:
    if value >= 100_000_000:
        return f"{value / 100_000_000:.1f}亿"
    if value >= 10_000:
        return f"{value / 10_000:.1f}万"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.1f}"


def _clip(label: str, limit: int) -> str:
    """At most ``limit`` display columns (a Chinese character counts two)."""
    width, out = 0, []
    for ch in label:
        width += 2 if ord(ch) > 0x2E80 else 1
        if width > limit:
            return "".join(out) + "…"
        out.append(ch)
    return label


def _legend(names: list[str], y: int) -> tuple[list[str], int]:
    parts, x = [], 8
    for n, name in enumerate(names):
        text = _clip(name, 20)
        span = 18 + sum(2 if ord(c) > 0x2E80 else 1 for c in text) * 6.5 + 12
        if x + span > WIDTH and x > 8:
            x, y = 8, y + 16
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{COLOURS[n % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{y}" font-size="12">{escape(text)}</text>'
        )
        x += int(span)
    return parts, y + 10


def _svg(panel: Panel, height: float, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 — every text above is escaped
        f'<svg viewBox="0 0 {WIDTH} {height:.0f}" xmlns="http://www.w3.org/2000/svg" class="dashboard-chart" '
        f'aria-hidden="true" focusable="false" {FONT}>' + "".join(body) + "</svg>"
    )


def render(panel: Panel) -> SafeString:
    """The panel's chart, or an empty string when it has nothing to plot."""
    rows = panel.table.rows
    if not rows or not any(_num(r[i]) for r in rows for i in panel.series):
        return mark_safe("")  # noqa: S308 — constant
    names = [str(panel.table.columns[i]) for i in panel.series]
    if panel.chart == "hbar":
        return _hbar(panel, names)
    return _columns(panel, names, line=panel.chart == "line")


def _hbar(panel: Panel, names: list[str]) -> SafeString:
    rows = panel.table.rows[:15]
    legend, top = _legend(names, 14) if len(names) > 1 else ([], 6)
    label_w = 150
    bar_h = 12 if len(names) > 1 else 16
    group_h = bar_h * len(names) + 8
    peak = max(_num(r[i]) for r in rows for i in panel.series) or 1.0
    plot_w = WIDTH - label_w - 52
    body = [*legend]
    for n, row in enumerate(rows):
        y0 = top + n * group_h
        label = str(row[0])
        body.append(
            f'<text x="{label_w - 6}" y="{y0 + group_h / 2 + 2:.1f}" font-size="12" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(_clip(label, 22))}</text>"
        )
        for k, i in enumerate(panel.series):
            value = _num(row[i])
            w = plot_w * value / peak
            y = y0 + k * bar_h + 2
            body.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{COLOURS[k % len(COLOURS)]}"/>'
                f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 3}" font-size="11">{_short(value)}</text>'
            )
    height = top + len(rows) * group_h + 6
    body.insert(0, f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 4:.0f}" stroke="#9ca3af"/>')
    return _svg(panel, height, body)


def _columns(panel: Panel, names: list[str], *, line: bool) -> SafeString:
    rows = panel.table.rows
    legend, top = _legend(names, 14) if len(names) > 1 else ([], 8)
    top += 12
    left, bottom, plot_h = 44, 22, 150
    peak = max(_num(r[i]) for r in rows for i in panel.series) or 1.0
    plot_w = WIDTH - left - 8
    step = plot_w / len(rows)
    base = top + plot_h
    body = [
        *legend,
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" stroke="#9ca3af"/>',
        f'<line x1="{left}" y1="{top}" x2="{WIDTH - 8}" y2="{top}" stroke="#e5e7eb"/>',
        f'<text x="{left - 4}" y="{top + 4}" font-size="11" text-anchor="end">{_short(peak)}</text>',
        f'<text x="{left - 4}" y="{base}" font-size="11" text-anchor="end">0</text>',
    ]
    for n, row in enumerate(rows):
        body.append(
            f'<text x="{left + n * step + step / 2:.1f}" y="{base + 15}" font-size="11" text-anchor="middle">'
            f"{escape(_clip(str(row[0]), 8))}</text>"
        )
    for k, i in enumerate(panel.series):
        colour = COLOURS[k % len(COLOURS)]
        if line:
            points = " ".join(
                f"{left + n * step + step / 2:.1f},{base - plot_h * _num(row[i]) / peak:.1f}"
                for n, row in enumerate(rows)
            )
            body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
            for n, row in enumerate(rows):
                body.append(
                    f'<circle cx="{left + n * step + step / 2:.1f}" cy="{base - plot_h * _num(row[i]) / peak:.1f}" '
                    f'r="2.5" fill="{colour}"/>'
                )
        else:
            width = step * 0.8 / len(panel.series)
            for n, row in enumerate(rows):
                h = plot_h * _num(row[i]) / peak
                x = left + n * step + step * 0.1 + k * width
                body.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{colour}"/>'
                )
    return _svg(panel, base + bottom, body)
