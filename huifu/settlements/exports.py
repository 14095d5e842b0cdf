"""Excel exports: one statement (member or staff) or a whole run (staff). Streams rows with
openpyxl's write-only mode."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from openpyxl import Workbook

from .explain import describe_all

HEADER = (
    N_("Member number"),
    N_("Member"),
    N_("Product"),
    N_("From"),
    N_("To"),
    N_("Trading days"),
    N_("Volume (lots)"),
    N_("Turnover (CNY)"),
    N_("Fees (CNY)"),
    N_("Daily average OI (lots)"),
    N_("Basis"),
    N_("Basis quantity"),
    N_("Line amount (CNY)"),
    N_("Final amount (CNY)"),
    N_("Explanation"),
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
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "Statement")
    sheet.append([_(h) for h in HEADER])
    for row in _rows(lines, organisation):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
