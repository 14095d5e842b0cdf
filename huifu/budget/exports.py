"""Excel export: every funded record of a year (activities, plans, ...) with its money."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Font

from huifu.core import spreadsheets

from . import selectors


def year_workbook(*, user: Any, year: int) -> bytes:
    """One row per allocation of the year's pools, scoped by ``user`` (staff: all; a partner:
    its own). Amounts are numbers with two decimals."""
    wb = spreadsheets.workbook()
    ws = wb.active
    ws.title = str(year)
    headers = [
        _("Pool"),
        _("Kind"),
        _("Funded record"),
        _("Partner"),
        _("Requested (CNY)"),
        _("Approved (CNY)"),
        _("Invoiced (CNY)"),
        _("Paid (CNY)"),
        _("Unpaid (CNY)"),
        _("Status"),
        _("Approved on"),
    ]
    spreadsheets.append(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for a in selectors.allocation_list(user=user, year=year).order_by("pool__name", "approved_at", "pk"):
        spreadsheets.append(
            ws,
            [
                a.pool.name,
                str(a.target_type.model_class()._meta.verbose_name),
                a.title,
                a.organisation.name_zh,
                a.requested_amount,
                a.approved_amount,
                a.invoiced,
                a.paid,
                a.payable,
                a.get_status_display(),
                a.approved_at.date(),
            ],
        )
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=9):
        for cell in row:
            cell.number_format = "#,##0.00"
    for col, width in zip("ABCDEFGHIJK", (24, 14, 40, 30, 14, 14, 14, 14, 14, 10, 12), strict=True):
        ws.column_dimensions[col].width = width
    return spreadsheets.to_bytes(wb)
