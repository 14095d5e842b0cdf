"""Server-rendered SVG charts (no JavaScript). Output is escaped markup, safe to include."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP = 56, 28, 24
COLOURS = ("#1f6feb", "#d97706", "#16a34a", "#9333ea")


def _number(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 1_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:.0f}"


def _frame(title: str, body: list[str], legend: list[str] | None = None) -> SafeString:
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg" style="max-width:100%;height:auto">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="14" font-size="13">{escape(title)}</text>',
        *body,
        *(legend or []),
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 — every label above is escaped


def bar_chart(items: Sequence[tuple[str, int | float | Decimal]], *, title: str) -> SafeString:
    """Vertical bars, one per (label, value)."""
    if not items:
        return format_html('<p class="chart-empty">{}</p>', title)
    peak = max(float(v) for _, v in items) or 1.0
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - BOTTOM - TOP
    step = plot_w / len(items)
    body = [f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 8}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>']
    body.append(f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="10" text-anchor="end">{_number(peak)}</text>')
    for i, (label, value) in enumerate(items):
        h = plot_h * float(value) / peak
        x = LEFT + i * step + step * 0.15
        y = HEIGHT - BOTTOM - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {escape(value)}</title></rect>"
        )
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 12}" font-size="9" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return _frame(title, body)


def line_chart(
    labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | float | Decimal]]], *, title: str
) -> SafeString:
    """One polyline per (name, values) over the shared x ``labels``, with a legend."""
    if not labels:
        return format_html('<p class="chart-empty">{}</p>', title)
    peak = max((float(v) for _, values in series for v in values), default=0.0) or 1.0
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - BOTTOM - TOP
    step = plot_w / max(len(labels) - 1, 1)
    body = [
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - 8}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="10" text-anchor="end">{_number(peak)}</text>',
    ]
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 12}" font-size="9" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    legend = []
    for n, (name, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(
            f"{LEFT + i * step:.1f},{HEIGHT - BOTTOM - plot_h * float(v) / peak:.1f}" for i, v in enumerate(values)
        )
        body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        legend.append(
            f'<rect x="{WIDTH - 170}" y="{6 + n * 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{WIDTH - 155}" y="{15 + n * 14}" font-size="11">{escape(name)}</text>'
        )
    return _frame(title, body, legend)
