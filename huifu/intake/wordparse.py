"""Reading a filled “一站通”会员之声反馈表 (.docx) back into fields.

Robust to what people do with the form: typing the value into the label cell ("期货公司名称：甲期货"),
adding or removing table rows, retyping the whole form as one table (编号 and 制表日期 in cells too,
each value in the cell after its label, a section's items in the cell after or below its label),
writing the sections outside the table, numbering items 1. 1、 1． (1) （1） ① 一、, with Word's
automatic numbering or bullets (the number lives in the paragraph's numbering properties, not
its text) or not at all, blank paragraphs, the "……" placeholder line.

Never silently wrong: every field gets a ``FieldReport`` (read / missing / ambiguous, with the text
seen). A value is never guessed: a field found twice with different values is ambiguous and left
empty; a field not in the document stays empty. Everything that could not be read is also a
``Problem`` (field + translated message); nothing raises except ``FormReadError`` for a file that
is not a Word document at all (or would inflate into a decompression bomb).
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
SERIAL_VALUE = re.compile(r"^第?\s*([0-9]{1,4})\s*[号張张]?$")
SERIAL_HINT = re.compile(r"[（(][^）)]*(?:本公司填写|例如)[^）)]*[）)]")
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
HEADER_LABELS = {
    "serial": (wf.SERIAL_LABEL, "表格编号", "反馈表编号"),
    "form_date": (wf.DATE_LABEL, "填表日期"),
}
ALL_FIELD_LABELS = {**HEADER_LABELS, **FIELD_LABELS}
# The fields of the report, in the form's order.
REPORT_FIELDS = ("serial", "form_date", "company", "contact", "phone", "email", "suggestions", "help_requests")
STOP_MARKERS = (wf.SEAL_LABEL, "公司盖章", "注：", "注:")


class FormReadError(ValueError):
    """The file is not a readable Word (.docx) document."""


class FieldStatus:
    READ = "read"  # 已读取
    MISSING = "missing"  # 文档中未找到
    AMBIGUOUS = "ambiguous"  # 有歧义


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass
class FieldReport:
    """What the parser saw for one field: ``status`` (FieldStatus), the text it saw, the value it
    kept (empty unless read)."""

    field: str
    status: str
    seen: str = ""
    value: Any = ""

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "status": self.status, "seen": self.seen[:1000], "value": self.value}


class NumberedLine(str):
    """A paragraph's first line whose number comes from Word's numbering (numPr), not its text."""

    __slots__ = ()


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
    fields: dict[str, FieldReport] = field(default_factory=dict)

    def add(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(field_name, message))

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem_for(self, field_name: str) -> list[str]:
        return [p.message for p in self.problems if p.field == field_name]

    def report(self) -> list[dict[str, Any]]:
        """The per-field report as JSON (kept on the feedback form and the intake message)."""
        return [self.fields[name].as_json() for name in REPORT_FIELDS if name in self.fields]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


# The form's text as Word stores it: the blank form is ~20 KB, a filled one with long items well
# under 1 MB. Anything longer is not a feedback form, and parsing it would hold a web worker for
# minutes (a 700 KB .docx can carry 10 MiB of short paragraphs within the zip-bomb limits).
WORD_FORM_MAX_XML = 2 * 1024 * 1024


def _open(content: bytes) -> Any:
    from huifu.files.validation import check_office_zip

    if not content:
        raise FormReadError(_("The file is empty."))
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FormReadError(
            _("This is an old Word (.doc) file. Open it in Word or WPS and save it as .docx, then upload it again.")
        )
    if not content.startswith(b"PK"):
        raise FormReadError(_("This file is not a Word (.docx) document."))
    try:
        check_office_zip(content)
    except ValidationError as exc:
        raise FormReadError(" ".join(exc.messages)) from exc
    from docx import Document  # imported after the bomb check: refusing costs no parser at all
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise FormReadError(_("This file is a zip archive, not a Word (.docx) document."))
            if archive.getinfo("word/document.xml").file_size > WORD_FORM_MAX_XML:
                raise FormReadError(
                    _("This document is too long for a Member Voice feedback form. Send the form on its own.")
                )
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


def _num_pr_decides(p_pr: Any) -> bool | None:
    """True/False when these paragraph properties say whether the paragraph is numbered, None
    when they leave it to the style (no numPr, or a numPr without numId)."""
    num_pr = p_pr.numPr if p_pr is not None else None
    if num_pr is None or num_pr.numId is None:
        return None
    return num_pr.numId.val != 0  # numId 0 means "numbering removed"


def is_numbered(paragraph: Any) -> bool:
    """Whether Word draws a number or bullet before this paragraph: its own numbering properties,
    else its style's (e.g. 列表编号/List Number, List Bullet), following the style's base styles."""
    p_pr = paragraph._p.pPr
    decided = _num_pr_decides(p_pr)
    if decided is not None:
        return decided
    # One answer per style and document: python-docx's style lookup scans every style, which
    # made a long document cost over a millisecond per paragraph.
    cache = paragraph.part.__dict__.setdefault("_huifu_numbered_styles", {})
    style_id = p_pr.style if p_pr is not None else None
    if style_id not in cache:
        cache[style_id] = _style_numbered(paragraph)
    return cache[style_id]


def _style_numbered(paragraph: Any) -> bool:
    try:
        style = paragraph.style
    except Exception:  # noqa: BLE001 - a dangling style reference: not numbered
        return False
    for _depth in range(10):
        if style is None:
            return False
        decided = _num_pr_decides(style.element.pPr)
        if decided is not None:
            return decided
        style = style.base_style
    return False


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Run containers whose text Word shows: tracked insertions and moves, content controls (内容控件),
# smart tags, custom XML, simple fields, hyperlinks. python-docx's ``paragraph.text`` reads only
# direct runs and hyperlinks, so a suggestion typed with Track Changes on was dropped silently.
_SHOWN_CONTAINERS = frozenset(
    _W + tag
    for tag in ("ins", "moveTo", "sdt", "sdtContent", "smartTag", "customXml", "fldSimple", "hyperlink", "bdo", "dir")
)
_FALSE = {"0", "false", "off"}


def _is_hidden(run: Any) -> bool:
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(f"{_W}val", "true").lower() not in _FALSE


def _shown_text(element: Any) -> str:
    """The text Word shows for a paragraph (or a container in it): runs inside tracked
    insertions and content controls included; tracked deletions, hidden text (w:vanish) and a
    content control still showing its placeholder (showingPlcHdr) left out."""
    parts: list[str] = []
    for child in element:
        tag = child.tag
        if tag == _W + "r":
            if not _is_hidden(child):
                parts.append(child.text or "")
        elif tag == _W + "sdt":
            if child.find(f"{_W}sdtPr/{_W}showingPlcHdr") is None:
                parts.append(_shown_text(child))
        elif tag in _SHOWN_CONTAINERS:
            parts.append(_shown_text(child))
    return "".join(parts)


def _paragraph_lines(paragraph: Any) -> list[str]:
    lines = _shown_text(paragraph._p).replace("\r", "\n").split("\n")
    if is_numbered(paragraph):
        lines[0] = NumberedLine(lines[0])
    return lines


def _cell_lines(cell: Any) -> list[str]:
    lines: list[str] = []
    for paragraph in cell.paragraphs:
        lines.extend(_paragraph_lines(paragraph))
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


def _section_label(line: str) -> tuple[str, str] | None:
    """A section heading, also when numbered ("一、希望向交易所反馈的意见建议：")."""
    hit = _label_of(line, SECTION_LABELS)
    if hit is None:
        match = ITEM_NUMBER.match(line)
        if match:
            hit = _label_of(line[match.end() :], SECTION_LABELS)
    return hit


def _field_label(line: str) -> tuple[str, str] | None:
    """A field label at the start of the line; never on an item numbered by Word (its text
    may well begin with "电话…" or "联系人…")."""
    if isinstance(line, NumberedLine):
        return None
    return _label_of(line, ALL_FIELD_LABELS)


def _first_line(lines: list[str]) -> str:
    return next((line for line in lines if line.strip()), "")


def split_items(lines: list[str]) -> list[str]:
    """Numbered lines -> items, one item per numbered line: typed numbers (1. 1、 （1） ① …) and
    Word's automatic numbering or bullets (``NumberedLine``) alike. A line without a number
    continues the item before it."""
    items: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or PLACEHOLDER.match(line):
            continue
        match = ITEM_NUMBER.match(line)
        if isinstance(raw, NumberedLine):
            items.append(line[match.end() :].strip() if match else line)
        elif match:
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
        lines.extend(_paragraph_lines(paragraph))
    return lines


def _collect_sections(lines: list[str], into: dict[str, list[str]], found: set[str]) -> str | None:
    """Walk lines; a section label starts a section that runs until the next label or stop marker.
    Returns the section still open at the end (its items may follow in the next cell)."""
    current: str | None = None
    for line in lines:
        compact = _norm(line)
        hit = _section_label(line)
        if hit is not None:
            current, rest = hit
            found.add(current)
            if rest:
                into[current].append(rest)
            continue
        is_item = isinstance(line, NumberedLine)
        if not is_item and (any(compact.startswith(_norm(m)) for m in STOP_MARKERS) or _field_label(line)):
            current = None
            continue
        if current is not None:
            into[current].append(line)
    return current


class _Reader:
    """Collects every (label, value) pair seen in the document, then decides each field."""

    def __init__(self) -> None:
        self.seen: dict[str, list[tuple[str, str]]] = {}  # field -> [(text seen, value)]
        self.sections: dict[str, list[str]] = {"suggestions": [], "help_requests": []}
        self.found_sections: set[str] = set()

    def value(self, key: str, seen: str, value: str) -> None:
        self.seen.setdefault(key, []).append((" ".join(seen.split()), " ".join(value.split())))

    def label_lines(self, lines: list[str], next_text: str | None) -> bool:
        """Read field labels on these lines (a cell or a paragraph). A last label without a value
        takes ``next_text`` (the next cell's text). Returns True when it used ``next_text``."""
        used_next = False
        labelled = [(line, _field_label(line)) for line in lines if line.strip()]
        for index, (line, hit) in enumerate(labelled):
            if hit is None:
                continue
            key, rest = hit
            is_last = index == len(labelled) - 1
            takes_next = (
                not rest
                and is_last
                and next_text is not None
                and not _label_of(next_text, ALL_FIELD_LABELS)
                and not _section_label(next_text)
            )
            if takes_next:
                rest, used_next = next_text, True
                line = f"{line.strip()} {next_text}"
            self.value(key, line, rest)
        return used_next

    def table(self, table: Any) -> None:
        pending: str | None = None  # a section label with its items still to come
        for row in table.rows:
            cells = _unique_cells(row)
            texts = ["\n".join(_cell_lines(c)).strip() for c in cells]
            index = 0
            while index < len(cells):
                cell, text = cells[index], texts[index]
                lines = _cell_lines(cell)
                if _section_label(_first_line(lines)):
                    before = {k: len(v) for k, v in self.sections.items()}
                    still_open = _collect_sections(lines, self.sections, self.found_sections)
                    grew = any(len(v) > before[k] for k, v in self.sections.items())
                    pending = still_open if still_open and not grew else None
                elif text and _field_label(_first_line(lines)):
                    pending = None
                    next_text = texts[index + 1] if index + 1 < len(cells) else None
                    if self.label_lines(lines, next_text):
                        index += 1
                elif pending is not None and text:
                    self.sections[pending].extend(lines)
                    pending = None
                elif text and any(_field_label(line) for line in lines):
                    self.label_lines(lines, None)
                index += 1

    def row(self, texts: list[str]) -> None:
        """Field labels in a row of cells given as text (an HTML table row): a label cell takes
        the next cell as its value."""
        index = 0
        while index < len(texts):
            lines = texts[index].split("\n")
            next_text = texts[index + 1].strip() if index + 1 < len(texts) else None
            if any(_field_label(line) for line in lines) and self.label_lines(lines, next_text):
                index += 1
            index += 1

    def body(self, lines: list[str]) -> None:
        """Paragraphs outside the tables, or a mail body; a line with tabs is a table row."""
        for line in lines:
            if _section_label(line):
                continue
            if "\t" in line:
                self.row(line.split("\t"))
            elif _field_label(line):
                self.label_lines([line], None)
        flat: list[str] = []
        for line in lines:
            flat.extend(line.split("\t") if "\t" in line else [line])
        _collect_sections(flat, self.sections, self.found_sections)

    @property
    def found_anything(self) -> bool:
        return bool(self.found_sections) or any(v for pairs in self.seen.values() for _s, v in pairs)


def _decide(result: ParsedForm, reader: _Reader, key: str) -> tuple[str, str]:
    """(value, status) of a text field: one distinct value → read; none → missing; several →
    ambiguous and left empty (never pick one)."""
    pairs = reader.seen.get(key, [])
    values = list(dict.fromkeys(v for _seen, v in pairs if v))
    seen = " / ".join(dict.fromkeys(s for s, _v in pairs if s))
    if not values:
        result.fields[key] = FieldReport(key, FieldStatus.MISSING, seen)
        return "", FieldStatus.MISSING
    if len(values) > 1:
        result.fields[key] = FieldReport(key, FieldStatus.AMBIGUOUS, seen)
        return "", FieldStatus.AMBIGUOUS
    result.fields[key] = FieldReport(key, FieldStatus.READ, seen, values[0])
    return values[0], FieldStatus.READ


def _ambiguous_message(label: str, seen: str) -> str:
    return _("The form gives %(label)s more than once, differently: “%(seen)s”. Nothing was taken.") % {
        "label": label,
        "seen": seen,
    }


def _read_serial(result: ParsedForm, reader: _Reader) -> None:
    pairs = [
        (seen, SERIAL_HINT.sub("", value).translate(FULLWIDTH_DIGITS).strip())
        for seen, value in reader.seen.get("serial", [])
    ]
    reader.seen["serial"] = pairs
    value, status = _decide(result, reader, "serial")
    if status == FieldStatus.AMBIGUOUS:
        result.add("serial", _ambiguous_message("编号", result.fields["serial"].seen))
        return
    if status != FieldStatus.READ:
        return
    match = SERIAL_VALUE.match(value)
    if match is None:
        result.fields["serial"] = FieldReport("serial", FieldStatus.AMBIGUOUS, result.fields["serial"].seen)
        result.add("serial", _("The form's number (编号) could not be read: “%(text)s”.") % {"text": value})
        return
    result.serial = f"{int(match.group(1)):03d}"
    result.fields["serial"].value = result.serial


def _read_date(result: ParsedForm, reader: _Reader) -> None:
    value, status = _decide(result, reader, "form_date")
    report = result.fields["form_date"]
    if status == FieldStatus.AMBIGUOUS:
        dates = {_parse_date(v) for _s, v in reader.seen["form_date"] if v}
        if len(dates) == 1 and None not in dates:  # the same date written twice, e.g. 2023年10月9日 and 2023-10-09
            result.form_date = dates.pop()
            result.fields["form_date"] = FieldReport(
                "form_date", FieldStatus.READ, report.seen, result.form_date.isoformat()
            )
            return
        result.add("form_date", _ambiguous_message("制表日期", report.seen))
        return
    result.form_date = _parse_date(value) if value else None
    if result.form_date is not None:
        report.value = result.form_date.isoformat()
        return
    if value and re.search(r"年\s*[0-9]|[0-9]{1,2}\s*[-/.]", value.translate(FULLWIDTH_DIGITS)):
        result.fields["form_date"] = FieldReport("form_date", FieldStatus.AMBIGUOUS, report.seen)
        result.add(
            "form_date",
            _("The date of the form (制表日期) could not be read: “%(text)s”.") % {"text": report.seen or value},
        )
    else:
        result.fields["form_date"] = FieldReport("form_date", FieldStatus.MISSING, report.seen)
        result.add("form_date", _("The date of the form (制表日期) is not filled in."))


FIELD_NAMES_ZH = {"company": "期货公司名称", "contact": "期货公司联系人", "phone": "联系方式", "email": "联系邮箱地址"}


def _missing_message(key: str) -> str:
    # Spelled out for makemessages: the dictionary above only documents the four texts.
    return {
        "company": _("The company name (期货公司名称) is missing."),
        "contact": _("The contact person (期货公司联系人) is missing."),
        "phone": _("The phone number (联系方式) is missing."),
        "email": _("The e-mail address (联系邮箱地址) is missing."),
    }[key]


def _read_sections(result: ParsedForm, reader: _Reader) -> None:
    result.suggestions = split_items(reader.sections["suggestions"])
    result.help_requests = split_items(reader.sections["help_requests"])
    for key, items in (("suggestions", result.suggestions), ("help_requests", result.help_requests)):
        seen = "\n".join(line.strip() for line in reader.sections[key] if line.strip())
        status = FieldStatus.READ if items else FieldStatus.MISSING
        result.fields[key] = FieldReport(key, status, seen, list(items))
    if not reader.found_sections:
        result.add("suggestions", _("The form's two sections (意见建议, 协助推动解决的事项) were not found."))
    elif not result.suggestions and not result.help_requests:
        result.add("suggestions", _("The form lists no suggestion and no help request."))


def parse_form(content: bytes) -> ParsedForm:
    """Read the fields of a filled form. Raises ``FormReadError`` only for a file that is not a
    .docx at all; anything missing, unreadable or given twice differently is listed in
    ``problems`` and in the per-field report ``fields`` (``report()`` as JSON)."""
    document = _open(content)
    reader = _Reader()
    for table in document.tables:
        reader.table(table)
    reader.body(_body_lines(document))
    return _finish(reader)


def parse_text(text: str) -> tuple[ParsedForm, bool]:
    """Read the form from plain text (an e-mail body: "label：value" lines, table rows as
    tab-separated cells, the two sections). Returns (form, whether anything of the form was
    found at all)."""
    reader = _Reader()
    reader.body(text.replace("\r\n", "\n").split("\n"))
    return _finish(reader), reader.found_anything


def _finish(reader: _Reader) -> ParsedForm:
    result = ParsedForm()
    _read_serial(result, reader)
    _read_date(result, reader)
    for key in ("company", "contact", "phone", "email"):
        value, status = _decide(result, reader, key)
        if key == "email":
            value = value.replace("mailto:", "")
            result.fields[key].value = value
        setattr(result, key, value)
        if status == FieldStatus.AMBIGUOUS:
            result.add(key, _ambiguous_message(FIELD_NAMES_ZH[key], result.fields[key].seen))
        elif status == FieldStatus.MISSING:
            result.add(key, _missing_message(key))
    if result.email:
        try:
            validate_email(result.email)
        except ValidationError:
            result.fields["email"] = FieldReport("email", FieldStatus.AMBIGUOUS, result.fields["email"].seen)
            result.add("email", _("The e-mail address “%(email)s” is not valid.") % {"email": result.email})
            result.email = ""
    _read_sections(result, reader)
    return result
