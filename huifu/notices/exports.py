"""The read status of a notice as an Excel workbook (one row per audience organisation)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.styles import Font

from huifu.core import spreadsheets

from . import selectors
from .models import Notice


def read_status_workbook(notice: Notice) -> bytes:
    wb = spreadsheets.workbook()
    ws = wb.active
    ws.title = _("Read status")[:31]
    spreadsheets.append(ws, [str(notice)])
    ws["A1"].font = Font(bold=True)
    headers = [
        _("Organisation"),
        _("Kind"),
        _("Member number"),
        pgettext("count", "Users"),
        _("Readers"),
        _("Read"),
        _("First read"),
        _("First reader"),
        _("First reader's e-mail"),
    ]
    spreadsheets.append(ws, headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for org in selectors.notice_read_status(notice).iterator(chunk_size=1000):
        first = timezone.localtime(org.first_read_at).strftime("%Y-%m-%d %H:%M") if org.first_read_at else ""
        spreadsheets.append(
            ws,
            [
                org.name_zh,
                str(org.get_kind_display()),
                org.member_number or "",
                org.user_count,
                org.reader_count,
                _("yes") if org.reader_count else _("no"),
                first,
                org.first_reader_name,
                org.first_reader_email,
            ],
        )
    for column, width in zip("ABCDEFGHI", (36, 22, 12, 8, 8, 8, 18, 16, 30), strict=True):
        ws.column_dimensions[column].width = width
    return spreadsheets.to_bytes(wb)
