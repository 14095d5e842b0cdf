"""A dashboard as an Excel workbook (``core/spreadsheets``) and as a PDF (``core/pdf``, with the
embedded Chinese font): every panel's table with its definitions and the "as of" time. Both are
built from the same panels as the page, so an export never shows a figure the page does not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from huifu.core import pdf, spreadsheets

from .definitions import Definition
from .figures import Dashboard


def cell(value: Any) -> Any:
    if value is None:
        return "—"
    if isinstance(value, (int, float, Decimal)):
        return value
    return str(value)


def _as_of(dashboard: Dashboard) -> str:
    return timezone.localtime(dashboard.as_of).strftime("%Y-%m-%d %H:%M")


def workbook(dashboard: Dashboard, title: str, definitions: dict[str, Definition]) -> bytes:
    book = spreadsheets.workbook()
    cover = book.active
    cover.title = pgettext("dashboards", "Definitions")[:31]
    spreadsheets.append(cover, [title, dashboard.year, pgettext("dashboards", "As of"), _as_of(dashboard)])
    spreadsheets.append(cover, [])
    spreadsheets.append(cover, [pgettext("dashboards", "Figure"), pgettext("dashboards", "Definition")])
    seen = set()
    for panel in dashboard.panels:
        for key in panel.definitions:
            if key not in seen:
                seen.add(key)
                spreadsheets.append(cover, [str(panel.title), definitions[key].text])
    used: set[str] = set()
    for n, panel in enumerate(dashboard.panels, start=1):
        name = f"{n:02d} {panel.title}"[:31]
        while name in used:
            name = name[:29] + f"{n:02d}"
        used.add(name)
        sheet = book.create_sheet(name)
        spreadsheets.append(sheet, [str(panel.title)])
        if panel.as_of:
            spreadsheets.append(
                sheet,
                [pgettext("dashboards", "Summary as of"), timezone.localtime(panel.as_of).strftime("%Y-%m-%d %H:%M")],
            )
        spreadsheets.append(sheet, [str(c) for c in panel.table.columns])
        for row in panel.table.rows:
            spreadsheets.append(sheet, [cell(v) for v in row])
        if panel.table.total:
            spreadsheets.append(sheet, [cell(v) for v in panel.table.total])
    return spreadsheets.to_bytes(book)


def document(dashboard: Dashboard, title: str, definitions: dict[str, Definition]) -> bytes:
    from reportlab.lib.units import mm

    story: list[Any] = [
        pdf.para(f"{title} {dashboard.year}", "title"),
        pdf.para(f"{pgettext('dashboards', 'As of')} {_as_of(dashboard)}", "small"),
    ]
    for panel in dashboard.panels:
        story.append(pdf.para(str(panel.title), "h2"))
        for key in panel.definitions:
            story.append(pdf.para(definitions[key].text, "small"))
        if panel.as_of:
            story.append(
                pdf.para(
                    f"{pgettext('dashboards', 'Summary as of')} {timezone.localtime(panel.as_of):%Y-%m-%d %H:%M}",
                    "small",
                )
            )
        columns = [str(c) for c in panel.table.columns]
        rows = [[cell(v) for v in row] for row in panel.table.rows]
        if panel.table.total:
            rows.append([cell(v) for v in panel.table.total])
        if not rows:
            story.append(pdf.para(_("Nothing to show for this year."), "small"))
            continue
        first = 60 * mm
        rest = (174 * mm - first) / max(len(columns) - 1, 1)
        story.append(pdf.table([columns, *rows], [first, *([rest] * (len(columns) - 1))], style="small"))
    return pdf.build(story, title=f"{title} {dashboard.year}")
