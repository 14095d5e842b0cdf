"""Reading a meeting platform's participant export into a header and plain text rows.

Two containers: CSV (UTF-8 with or without BOM, or GB18030/GBK as Chinese platforms such as
腾讯会议 export it) and .xlsx (checked by content through ``huifu.files.validation``, read with
openpyxl). What comes out is text only: the column meaning is decided later
(``attendance_analysis``), so the same stored rows can be re-read with another column mapping.

Every refusal is an ``AttendanceFileError`` (a ``ValidationError`` keyed ``file``) naming the
file and the problem; nothing is stored when one is raised.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ROWS = 20000
MAX_COLUMNS = 60
MAX_CELL = 200


class AttendanceFileError(ValidationError):
    """The file cannot be read at all (empty, not a spreadsheet, wrong encoding, too large)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__({"file": ValidationError(message, code=code)})
        self.code = code


@dataclass
class ReadFile:
    original_name: str
    file_format: str  # "csv" | "xlsx"
    encoding: str  # "utf-8", "utf-8-sig", "gb18030"; "" for .xlsx
    size: int
    sha256: str
    lines: list[list[str]] = field(default_factory=list)  # every non-empty line, cells as text
    line_numbers: list[int] = field(default_factory=list)  # 1-based line/row of each entry of ``lines``


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person would read (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())[:MAX_CELL]


def _clean(cells: list[Any]) -> list[str]:
    return [_cell_text(c) for c in cells[:MAX_COLUMNS]]


def _name(upload: Any) -> str:
    from huifu.files.validation import clean_file_name

    return clean_file_name(os.path.basename(getattr(upload, "name", "") or "")) or "file"


def _read_all(upload: Any, name: str) -> bytes:
    from huifu.files.validation import max_upload_bytes

    upload.seek(0)
    data = upload.read(max_upload_bytes() + 1)
    upload.seek(0)
    if not data:
        raise AttendanceFileError(_("“%(name)s” is empty.") % {"name": name}, "empty")
    if len(data) > max_upload_bytes():
        raise AttendanceFileError(
            _("“%(name)s” is larger than %(mb)s MB.") % {"name": name, "mb": max_upload_bytes() // (1024 * 1024)},
            "too_large",
        )
    return data


def decode_csv(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 (BOM or not), else GB18030 (which reads GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise AttendanceFileError(
            _("“%(name)s” is UTF-16 text; save it as “CSV UTF-8” or as .xlsx.") % {"name": name}, "encoding"
        )
    if b"\x00" in data[:8192]:
        raise AttendanceFileError(_("“%(name)s” is not a text file.") % {"name": name}, "not_text")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise AttendanceFileError(
            _(
                "“%(name)s” is neither UTF-8 nor GB18030/GBK text (unreadable byte at position %(pos)s); "
                "save it as “CSV UTF-8” or as .xlsx."
            )
            % {"name": name, "pos": exc.start},
            "encoding",
        ) from None


def _csv_lines(text: str, name: str) -> tuple[list[list[str]], list[int]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines: list[list[str]] = []
    numbers: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            cells = _clean(row)
            if any(cells):
                if len(lines) > MAX_ROWS:
                    raise AttendanceFileError(
                        _("“%(name)s” has more than %(max)s lines.") % {"name": name, "max": MAX_ROWS}, "too_many_rows"
                    )
                lines.append(cells)
                numbers.append(reader.line_num)
    except csv.Error as exc:
        raise AttendanceFileError(
            _("“%(name)s” is not a readable CSV file (line %(line)s: %(error)s).")
            % {"name": name, "line": reader.line_num, "error": exc},
            "bad_csv",
        ) from None
    return lines, numbers


def _xlsx_lines(upload: Any, name: str) -> tuple[list[list[str]], list[int]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure of a checked .xlsx is "unreadable", said to the user
        raise AttendanceFileError(
            _("“%(name)s” could not be read as an Excel workbook.") % {"name": name}, "bad_xlsx"
        ) from None
    try:
        sheet = book.worksheets[0]
        lines: list[list[str]] = []
        numbers: list[int] = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _clean(list(row))
            if any(cells):
                if len(lines) > MAX_ROWS:
                    raise AttendanceFileError(
                        _("“%(name)s” has more than %(max)s rows.") % {"name": name, "max": MAX_ROWS}, "too_many_rows"
                    )
                lines.append(cells)
                numbers.append(number)
        return lines, numbers
    finally:
        book.close()


def read_upload(upload: Any) -> ReadFile:
    """Read an uploaded participant export. Raises ``AttendanceFileError`` for a file that cannot
    be read: empty, too large, a .csv that is not text in UTF-8/GB18030, an .xlsx whose content
    is not a workbook (a renamed .exe), any other extension, a file without a single line."""
    import hashlib

    from huifu.files.kinds import SPREADSHEET_KINDS, detect_kind
    from huifu.files.validation import validate_upload

    name = _name(upload)
    extension = os.path.splitext(name)[1].lower()
    if extension not in (".csv", ".xlsx"):
        raise AttendanceFileError(
            _("“%(name)s”: upload the participant list as .csv or .xlsx.") % {"name": name}, "extension"
        )
    data = _read_all(upload, name)
    digest = hashlib.sha256(data).hexdigest()
    if extension == ".xlsx":
        try:
            validate_upload(upload, SPREADSHEET_KINDS)
        except ValidationError as exc:
            raise AttendanceFileError(" ".join(exc.messages), "not_xlsx") from None
        lines, numbers = _xlsx_lines(io.BytesIO(data), name)
        encoding = ""
    else:
        kind = detect_kind(io.BytesIO(data))
        if kind is not None:  # a workbook, PDF, image … renamed to .csv
            raise AttendanceFileError(
                _("“%(name)s” is a %(kind)s, not a CSV text file.") % {"name": name, "kind": kind.label}, "not_text"
            )
        text, encoding = decode_csv(data, name)
        lines, numbers = _csv_lines(text, name)
    if not lines:
        raise AttendanceFileError(_("“%(name)s” has no lines.") % {"name": name}, "empty")
    return ReadFile(
        original_name=name,
        file_format=extension[1:],
        encoding=encoding,
        size=len(data),
        sha256=digest,
        lines=lines,
        line_numbers=numbers,
    )
