"""Reading a filled “一站通”会员之声反馈表 (.docx) back into fields.

Robust to what people do with the form: typing the value into the label cell ("期货公司名称：甲期货"),
adding or removing table rows, writing the sections outside the table, numbering items
1. 1、 1． (1) （1） ① 一、 or not at all, blank paragraphs, the "……" placeholder line. Everything
that could not be read is reported as a ``Problem`` (field + translated message); nothing
raises except ``FormReadError`` for a file that is not a Word document at all.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from . import wordform as wf

ITEM_NUMBER = re.compile(
    r"^\s*(?:"
    r"[（(]\s*[0-9０-９一二三四五六七八九十]+\s*[)）]"  # (1) （1） （一）
    r"|[0-9０-９]+\s*[.．、,，)）]"  # 1. 1． 1、 1)
    r"|[①-⑳⑴-⒇⒈-⒛]"  # ① ⑴ ⒈
    r"|[一二三四五六七八九十]+\s*[、.．]"  # 一、
    r"|[-•·*]\s"  # bullets
    r")\s*"
)
PLACEHOLDER = re.compile(r"^[\s.…。·、,，:：]*$")
DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_ISO = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
SERIAL = re.compile(r"编\s*号\s*[:：]?\s*([0-9０-９]{1,4})")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

FIELD_LABELS = {
    "company": (wf.COMPANY_LABEL, "公司名称", "会员名称", "单位名称"),
    "contact": (wf.CONTACT_LABEL, "联系人"),
    "phone": (wf.PHONE_LABEL, "联系电话", "电话"),
    "email": (wf.EMAIL_LABEL, "联系邮箱", "邮箱地址", "电子邮箱", "邮箱"),
}
SECTION_LABELS = {
    "suggestions": (wf.SUGGESTIONS_LABEL, "意见建议"),
    "help_requests": (wf.HELP_LABEL, "协助推动解决的事项", "协助解决的事项"),
}
STOP_MARKERS = (wf.SEAL_LABEL, "公司盖章", "注：", "注:")


class FormReadError(ValueError):
    """The file is not a readable Word (.docx) document."""


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass
class ParsedForm:
    serial: str = ""
    form_date: datetime.date | None = None
    company: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    suggestions: list[str] = field(default_factory=list)
    help_requests: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(field_name, message))

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_for(self, field_name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field_name]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _open(content: bytes) -> Any:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    if not content:
        raise FormReadError(_("The file is empty."))
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FormReadError(
            _("This is an old Word (.doc) file. Open it in Word or WPS and save it as .docx, then upload it again.")
        )
    if not content.startswith(b"PK"):
        raise FormReadError(_("This file is not a Word (.docx) document."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise FormReadError(_("This file is a zip archive, not a Word (.docx) document."))
        return Document(io.BytesIO(content))
    except FormReadError:
        raise
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise FormReadError(_("The Word document is damaged and cannot be read.")) from exc
    except Exception as exc:  # lxml and python-docx raise many kinds on broken XML
        raise FormReadError(_("The Word document is damaged and cannot be read.")) from exc


def _unique_cells(row: Any) -> list[Any]:
    """A row's cells, each merged cell once."""
    seen: list[Any] = []
    cells = []
    for cell in row.cells:
        if any(cell._tc is tc for tc in seen):
            continue
        seen.append(cell._tc)
        cells.append(cell)
    return cells


def _cell_lines(cell: Any) -> list[str]:
    lines: list[str] = []
    for paragraph in cell.paragraphs:
        lines.extend(paragraph.text.replace("\r", "\n").split("\n"))
    for table in cell.tables:  # nested tables: read their text too
        for row in table.rows:
            for inner in _unique_cells(row):
                lines.extend(_cell_lines(inner))
    return lines


def _label_of(text: str, labels: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """(key, remainder) if ``text`` starts with one of the labels (longest first)."""
    compact = _norm(text)
    candidates = sorted(
        ((label, key) for key, options in labels.items() for label in options), key=lambda x: -len(x[0])
    )
    for label, key in candidates:
        if compact.startswith(label):
            rest = text.strip()
            # Drop the label as typed (it may contain spaces) and a following colon.
            idx = 0
            matched = 0
            while idx < len(rest) and matched < len(label):
                if not rest[idx].isspace():
                    matched += 1
                idx += 1
            return key, rest[idx:].lstrip(" :：\t").strip()
    return None


def split_items(lines: list[str]) -> list[str]:
    """Numbered lines -> items. A line without a number continues the item before it."""
    items: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or PLACEHOLDER.match(line):
            continue
        match = ITEM_NUMBER.match(line)
        if match:
            text = line[match.end() :].strip()
            items.append(text)
        elif items and items[-1]:
            items[-1] = f"{items[-1]}\n{line}"
        else:
            if items and not items[-1]:
                items[-1] = line
            else:
                items.append(line)
    return [item.strip() for item in items if item.strip() and not PLACEHOLDER.match(item)]


def _parse_date(text: str) -> datetime.date | None:
    text = text.translate(FULLWIDTH_DIGITS)
    for pattern in (DATE_CN, DATE_ISO):
        match = pattern.search(text)
        if match:
            try:
                return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


def _body_lines(document: Any) -> list[str]:
    lines = []
    for paragraph in document.paragraphs:
        lines.extend(paragraph.text.split("\n"))
    return lines


def _all_cells(document: Any) -> list[list[Any]]:
    rows = []
    for table in document.tables:
        for row in table.rows:
            rows.append(_unique_cells(row))
    return rows


def _collect_sections(lines: list[str], into: dict[str, list[str]], found: set[str]) -> None:
    """Walk lines; a section label starts a section that runs until the next label or stop marker."""
    current: str | None = None
    for line in lines:
        compact = _norm(line)
        hit = _label_of(line, SECTION_LABELS)
        if hit is not None:
            current, rest = hit
            found.add(current)
            if rest:
                into[current].append(rest)
            continue
        if any(compact.startswith(_norm(m)) for m in STOP_MARKERS) or _label_of(line, FIELD_LABELS):
            current = None
            continue
        if current is not None:
            into[current].append(line)


def parse_form(content: bytes) -> ParsedForm:
    """Read the fields of a filled form. Raises ``FormReadError`` only for a file that is not a
    .docx at all; anything missing or unreadable inside is listed in ``problems``."""
    document = _open(content)
    result = ParsedForm()
    body = _body_lines(document)
    header_text = "\n".join(body)

    fields: dict[str, str] = {}
    section_lines: dict[str, list[str]] = {"suggestions": [], "help_requests": []}
    found_sections: set[str] = set()
    extra_header: list[str] = []
    for cells in _all_cells(document):
        texts = ["\n".join(_cell_lines(c)).strip() for c in cells]
        for index, text in enumerate(texts):
            if _label_of(text, SECTION_LABELS):
                _collect_sections(_cell_lines(cells[index]), section_lines, found_sections)
                continue
            hit = _label_of(text.split("\n")[0] if text else "", FIELD_LABELS)
            if hit is None:
                if SERIAL.search(text) or _has_date_label(text):
                    extra_header.append(text)
                continue
            key, rest = hit
            if key in fields and fields[key]:
                continue
            value = rest
            if not value and index + 1 < len(texts) and not _label_of(texts[index + 1], FIELD_LABELS):
                value = texts[index + 1]
            fields[key] = " ".join(value.split())
    # Sections typed outside the table.
    _collect_sections(body, section_lines, found_sections)

    header_all = header_text + "\n" + "\n".join(extra_header)
    serial = SERIAL.search(header_all.translate(FULLWIDTH_DIGITS))
    if serial:
        result.serial = f"{int(serial.group(1)):03d}"
    date_text = ""
    for line in header_all.split("\n"):
        if wf.DATE_LABEL in _norm(line):
            date_text = line
            break
    result.form_date = _parse_date(date_text) if date_text else _parse_date(header_all)
    if result.form_date is None:
        if date_text and re.search(r"年\s*[0-9]|[0-9]{1,2}\s*[-/.]", date_text.translate(FULLWIDTH_DIGITS)):
            result.add(
                "form_date",
                _("The date of the form (制表日期) could not be read: “%(text)s”.") % {"text": date_text.strip()},
            )
        else:
            result.add("form_date", _("The date of the form (制表日期) is not filled in."))

    result.company = fields.get("company", "")
    result.contact = fields.get("contact", "")
    result.phone = fields.get("phone", "")
    result.email = fields.get("email", "").replace("mailto:", "")
    if not result.company:
        result.add("company", _("The company name (期货公司名称) is missing."))
    if not result.contact:
        result.add("contact", _("The contact person (期货公司联系人) is missing."))
    if not result.phone:
        result.add("phone", _("The phone number (联系方式) is missing."))
    if not result.email:
        result.add("email", _("The e-mail address (联系邮箱地址) is missing."))
    else:
        try:
            validate_email(result.email)
        except ValidationError:
            result.add("email", _("The e-mail address “%(email)s” is not valid.") % {"email": result.email})

    result.suggestions = split_items(section_lines["suggestions"])
    result.help_requests = split_items(section_lines["help_requests"])
    if not found_sections:
        result.add("suggestions", _("The form's two sections (意见建议, 协助推动解决的事项) were not found."))
    elif not result.suggestions and not result.help_requests:
        result.add("suggestions", _("The form lists no suggestion and no help request."))
    return result


def _has_date_label(text: str) -> bool:
    return wf.DATE_LABEL in _norm(text)
