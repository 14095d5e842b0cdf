"""The directory's Excel (.xlsx) layout, reading and writing.

Layout (first sheet, Chinese headers in the first row, one record per row; column order is free):

Organisations  类型* / 中文名称* / 英文名称 / 简称 / 会员号 / 统一社会信用代码 / 地区 / 状态 / 电子邮箱 / 电话 / 地址
Contacts       机构名称或会员号* / 姓名* / 角色 / 职务 / 电话 / 电子邮箱 / 主要联系人

(* required.) 类型, 地区, 状态 and 角色 take the Chinese label (期货公司会员, 上海, 正常) or the code
(futures_company, shanghai, active); 主要联系人 takes 是/否. An export has exactly this layout,
so it imports again unchanged. See importers.py for what an import checks.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from huifu.core import spreadsheets
from huifu.files.validation import check_office_zip

from .models import Contact, ContactRole, Organisation, OrganisationKind, OrganisationStatus
from .regions import Region

IMPORT_FILE_PURPOSE = "directory_import"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 10_000


@dataclass(frozen=True)
class Column:
    header: str  # the Chinese header: part of the file format, not translated
    field: str
    required: bool = False
    choices: type[models.TextChoices] | None = None
    width: int = 16


ORGANISATION_COLUMNS: tuple[Column, ...] = (
    Column("类型", "kind", required=True, choices=OrganisationKind, width=18),
    Column("中文名称", "name_zh", required=True, width=34),
    Column("英文名称", "name_en", width=40),
    Column("简称", "short_name", width=14),
    Column("会员号", "member_number", width=10),
    Column("统一社会信用代码", "uscc", width=22),
    Column("地区", "region", choices=Region, width=10),
    Column("状态", "status", choices=OrganisationStatus, width=8),
    Column("电子邮箱", "email", width=26),
    Column("电话", "phone", width=16),
    Column("地址", "address", width=40),
)

CONTACT_COLUMNS: tuple[Column, ...] = (
    Column("机构名称或会员号", "organisation", required=True, width=34),
    Column("姓名", "name", required=True, width=12),
    Column("角色", "role", choices=ContactRole, width=16),
    Column("职务", "title", width=16),
    Column("电话", "phone", width=16),
    Column("电子邮箱", "email", width=26),
    Column("主要联系人", "is_primary", width=10),
)

LIAISON_HEADERS = ("部门", "业务范围", "姓名", "职务", "电话", "电子邮箱")
ERROR_HEADERS = ("行号", "列", "问题")

# Extra spellings people use in spreadsheets.
_ALIASES: dict[str, str] = {
    "期货公司": OrganisationKind.FUTURES_COMPANY,
    "证监局": OrganisationKind.CSRC_BUREAU,
    "协会": OrganisationKind.INDUSTRY_ASSOCIATION,
    "高校": OrganisationKind.UNIVERSITY,
    "企业": OrganisationKind.ENTERPRISE,
}


class ImportFileError(Exception):
    """The upload is not a readable .xlsx workbook of the expected layout (nothing was imported)."""


def zh_label(choices: type[models.TextChoices], value: str) -> str:
    """The Chinese label of a choice value (what exports write), whatever the request's language."""
    if not value:
        return ""
    with translation.override("zh-hans"):
        return str(choices(value).label)


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every accepted spelling (code, Chinese and English label; case-insensitive) -> value."""
    lookup: dict[str, str] = {}
    for value, _label in choices.choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(choices(value).label).strip().lower()] = value
    for alias, value in _ALIASES.items():
        if value in choices.values:
            lookup.setdefault(alias, value)
    return lookup


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- reading -----------------------------------------------------------------------------------


@dataclass
class SheetRow:
    number: int  # the spreadsheet row number (the header is row 1)
    values: dict[str, str]  # field -> cell text


def read_sheet(source: IO[bytes], columns: Sequence[Column]) -> list[SheetRow]:
    """Read the first sheet of an .xlsx upload. Raises ImportFileError with a clear message when the
    content is not an .xlsx workbook, the headers do not match the layout, or it is too long."""
    source.seek(0)
    if source.read(4) != b"PK\x03\x04":
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx). Save it as .xlsx and upload it again."))
    source.seek(0)
    try:
        check_office_zip(source)
    except ValidationError as exc:
        raise ImportFileError(" ".join(exc.messages)) from exc
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged (%(reason)s).")
            % {"reason": exc.__class__.__name__}
        )
    except Exception as exc:  # openpyxl raises many kinds of error on malformed parts
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged (%(reason)s).")
            % {"reason": exc.__class__.__name__}
        )
    try:
        return _read_rows(workbook, columns)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("The file could not be read as an Excel workbook (.xlsx); it may be damaged (%(reason)s).")
            % {"reason": exc.__class__.__name__}
        )
    finally:
        workbook.close()


def _read_rows(workbook: Any, columns: Sequence[Column]) -> list[SheetRow]:
    if not workbook.worksheets:
        raise ImportFileError(_("The workbook has no sheet."))
    rows: Iterator[tuple[Any, ...]] = workbook.worksheets[0].iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise ImportFileError(_("The first sheet is empty; the first row must hold the column headers."))
    by_header = {c.header: c for c in columns}
    positions: dict[int, Column] = {}
    unknown = []
    for index, raw in enumerate(header_row):
        header = cell_text(raw).rstrip("*").strip()
        if not header:
            continue
        if header not in by_header:
            unknown.append(header)
        elif by_header[header] in positions.values():
            raise ImportFileError(_("The column “%(name)s” appears twice.") % {"name": header})
        else:
            positions[index] = by_header[header]
    missing = [c.header for c in columns if c.required and c not in positions.values()]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing required columns: %(names)s") % {"names": "、".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(names)s") % {"names": "、".join(unknown)})
        raise ImportFileError(
            _("The first row does not match the template (%(problems)s). Expected headers: %(expected)s.")
            % {"problems": "; ".join(parts), "expected": "、".join(c.header for c in columns)}
        )
    result: list[SheetRow] = []
    for number, raw_row in enumerate(rows, start=2):
        values = {col.field: cell_text(raw_row[i]) if i < len(raw_row) else "" for i, col in positions.items()}
        if not any(values.values()):
            continue
        if len(result) >= MAX_IMPORT_ROWS:
            raise ImportFileError(
                _("The file has more than %(n)d rows; split it into smaller files.") % {"n": MAX_IMPORT_ROWS}
            )
        result.append(SheetRow(number=number, values=values))
    return result


# --- writing -----------------------------------------------------------------------------------


def _workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] | None = None,
    notes: Sequence[str] = (),
) -> bytes:
    workbook = spreadsheets.workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    if widths:
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
    spreadsheets.append(sheet, headers)
    for row in rows:
        spreadsheets.append(sheet, row)
    if notes:
        info = workbook.create_sheet("说明")
        info.column_dimensions["A"].width = 100
        for line in notes:
            spreadsheets.append(info, [line])
    return spreadsheets.to_bytes(workbook)


def _notes(columns: Sequence[Column]) -> list[str]:
    lines = [
        "第一个工作表的第一行为列标题（顺序不限），每行一条记录；带 * 的列必填。",
        "任一行有错误时整个文件都不会导入，请按错误报告修改后重新上传。",
    ]
    for column in columns:
        text = f"{column.header}{'*' if column.required else ''}"
        if column.choices is not None:
            text += "：" + "、".join(zh_label(column.choices, v) for v in column.choices.values)
        lines.append(text)
    return lines


def organisation_rows(organisations: Iterable[Organisation]) -> Iterator[list[str]]:
    for org in organisations:
        yield [
            zh_label(OrganisationKind, org.kind), org.name_zh, org.name_en, org.short_name,
            org.member_number or "", org.uscc or "", zh_label(Region, org.region),
            zh_label(OrganisationStatus, org.status), org.email, org.phone, org.address,
        ]  # fmt: skip


def contact_rows(contacts: Iterable[Contact]) -> Iterator[list[str]]:
    for contact in contacts:
        org = contact.organisation
        yield [
            org.member_number or org.name_zh, contact.name, zh_label(ContactRole, contact.role), contact.title,
            contact.phone, contact.email, "是" if contact.is_primary else "否",
        ]  # fmt: skip


def export_organisations(organisations: Iterable[Organisation]) -> bytes:
    return _workbook(
        "机构",
        [c.header for c in ORGANISATION_COLUMNS],
        organisation_rows(organisations),
        [c.width for c in ORGANISATION_COLUMNS],
    )


def export_contacts(contacts: Iterable[Contact]) -> bytes:
    return _workbook(
        "联系人", [c.header for c in CONTACT_COLUMNS], contact_rows(contacts), [c.width for c in CONTACT_COLUMNS]
    )


def template(columns: Sequence[Column], title: str) -> bytes:
    """An empty workbook with the headers and a second sheet explaining the columns."""
    return _workbook(
        title,
        [c.header + ("*" if c.required else "") for c in columns],
        [],
        [c.width for c in columns],
        notes=_notes(columns),
    )


def export_errors(errors: Iterable[Sequence[Any]]) -> bytes:
    return _workbook("错误报告", ERROR_HEADERS, errors, [8, 20, 80])


def export_liaisons(departments: Iterable[Any]) -> bytes:
    def rows() -> Iterator[list[str]]:
        for department in departments:
            for liaison in department.liaisons.all():
                area = liaison.business_area.name_zh if liaison.business_area else ""
                yield [department.name_zh, area, liaison.name, liaison.title, liaison.phone, liaison.email]

    return _workbook("部门及联系人", LIAISON_HEADERS, rows(), [22, 22, 12, 16, 18, 28])
