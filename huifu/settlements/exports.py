"""Excel exports: one statement (member or staff) or a whole run (staff). Streams rows with
openpyxl's write-only mode."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.core import spreadsheets

from .explain import describe_all

HEADER = (
    gettext_noop("Member number"),
    gettext_noop("Member"),
    gettext_noop("Product"),
    gettext_noop("From"),
    gettext_noop("To"),
    gettext_noop("Trading days"),
    gettext_noop("Volume (lots)"),
    gettext_noop("Turnover (CNY)"),
    gettext_noop("Fees (CNY)"),
    gettext_noop("Daily average OI (lots)"),
    gettext_noop("Basis"),
    gettext_noop("Basis quantity"),
    gettext_noop("Line amount (CNY)"),
    gettext_noop("Final amount (CNY)"),
    gettext_noop("Explanation"),
)


def _rows(lines: Iterable, organisation=None):  # noqa: ANN001, ANN202
    for line in lines:
        org = organisation or line.statement.organisation
        yield [
            org.member_number or "",
            org.name_zh,
            line.product.code if line.product else _("Fixed award"),
            line.window_start,
            line.window_end,
            line.trading_days,
            line.volume,
            line.turnover,
            line.fees,
            line.avg_open_interest,
            line.basis,
            line.measure,
            line.amount_before_caps,
            line.amount,
            "\n".join(describe_all(line.explanation)),
        ]


def workbook_bytes(title: str, lines: Iterable, organisation=None) -> bytes:  # noqa: ANN001
    workbook = spreadsheets.workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Statement")
    spreadsheets.append(sheet, [_(h) for h in HEADER])
    for row in _rows(lines, organisation):
        spreadsheets.append(sheet, row)
    return spreadsheets.to_bytes(workbook)
