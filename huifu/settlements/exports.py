"""Excel exports: one statement (member or staff) or a whole run (staff), in a form a finance
department can file: number formats (thousands, two decimals for money, four for unrounded
intermediates), translated bases, a qualified and a payout-ratio column, a totals row, and the
cap lines of each statement. Written through ``huifu.core.spreadsheets`` (text stays text)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from huifu.core import spreadsheets

from .explain import BASIS_LABELS, describe_all

MONEY = "#,##0.00"
LOTS = "#,##0"
EXACT = "#,##0.0000"

HEADER = (
    gettext_noop("Member number"),
    gettext_noop("Member"),
    gettext_noop("Product"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Trading days"),
    gettext_noop("Volume (lots)"),
    gettext_noop("Turnover (CNY)"),
    gettext_noop("Fees (CNY, unrounded)"),
    gettext_noop("Daily average OI (lots, unrounded)"),
    gettext_noop("Basis"),
    gettext_noop("Basis quantity (unrounded)"),
    gettext_noop("Qualified"),
    gettext_noop("Payout ratio"),
    gettext_noop("Line amount (CNY)"),
    gettext_noop("Final amount (CNY)"),
    gettext_noop("Explanation"),
)
# Column index → number format.
FORMATS = {5: LOTS, 6: LOTS, 7: MONEY, 8: EXACT, 9: EXACT, 11: EXACT, 14: MONEY, 15: MONEY}


def _payout_ratio(line: Any) -> Decimal | None:
    for step in line.explanation or []:
        if step.get("step") == "payout":
            return Decimal(step["ratio"])
    return Decimal(1) if line.product_id else None


def _cells(sheet: Any, values: list[Any], *, bold: bool = False) -> list[Any]:
    cells = []
    for index, value in enumerate(values):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = FORMATS.get(index, MONEY if isinstance(value, Decimal) else LOTS)
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        else:
            cells.append(spreadsheets.text_safe(value))
    return cells


def _line_row(line: Any, org: Any, private: bool) -> list[Any]:
    return [
        org.member_number or "",
        org.name_zh,
        line.product.code if line.product else _("Fixed award"),
        line.window_start.isoformat() if line.window_start else "",
        line.window_end.isoformat() if line.window_end else "",
        line.trading_days,
        line.volume,
        line.turnover,
        line.fees,
        line.avg_open_interest,
        _(BASIS_LABELS[line.basis]) if line.basis in BASIS_LABELS else line.basis,
        line.measure,
        _("yes") if line.qualified else _("no"),
        _payout_ratio(line) if line.product_id else "",
        line.amount_before_caps,
        line.amount,
        "\n".join(describe_all(line.explanation, private=private)),
    ]


def workbook_bytes(
    title: str,
    lines: Iterable,
    organisation: Any = None,
    *,
    statements: Iterable = (),
    run: Any = None,
    private: bool = False,
) -> bytes:
    """The lines (one row each), a totals row, then the cap lines of every statement."""
    workbook = spreadsheets.workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Statement")
    spreadsheets.append(sheet, [_(h) for h in HEADER])
    before = total = Decimal(0)
    for line in lines:
        org = organisation or line.statement.organisation
        sheet.append(_cells(sheet, _line_row(line, org, private)))
        before += line.amount_before_caps
        total += line.amount
    totals = ["", _("Total")] + [""] * 12 + [before, total, ""]
    sheet.append(_cells(sheet, totals, bold=True))
    caps = [
        (statement.organisation, text)
        for statement in statements
        for text in describe_all(statement.explanation, private=private)
    ]
    if caps:
        sheet.append([])
        spreadsheets.append(sheet, [_("Caps applied to the statement total")])
        for org, text in caps:
            spreadsheets.append(sheet, [org.member_number or "", org.name_zh, text])
    return spreadsheets.to_bytes(workbook)
