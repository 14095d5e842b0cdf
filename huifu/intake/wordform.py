"""The “一站通”会员之声反馈表 as a Word document, laid out like the form attached to the 2023
plan: title, 编号 and 制表日期 lines, one table (company, contact, phone, e-mail, the two numbered
sections, the seal box) and the 注 about where to send it.

``form_docx(...)`` builds a blank or pre-filled form; ``wordparse.parse_form`` reads one back.
The labels below are the contract between the two: change them together.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from huifu.core.identity import exchange

TITLE = "“一站通”会员之声反馈表"
SERIAL_LABEL = "编号"
SERIAL_HINT = "（本公司填写的第几张反馈表。例如：第一张即填写001）"
DATE_LABEL = "制表日期"
COMPANY_LABEL = "期货公司名称"
CONTACT_LABEL = "期货公司联系人"
PHONE_LABEL = "联系方式"
EMAIL_LABEL = "联系邮箱地址"
SUGGESTIONS_LABEL = "希望向交易所反馈的意见建议"
HELP_LABEL = "希望交易所协助推动解决的事项"
SEAL_LABEL = "（公司盖章）"
SUBJECT_CONVENTION = "xx期货公司“一站通”会员之声反馈"


def note() -> str:
    """The 注 under the form: where to send it (the exchange's Market Service Center mailbox,
    from the identity, ``huifu.core.identity``) and the subject to write."""
    return (
        f"注：请将此反馈表发送至市场服务中心邮箱：{exchange().mailbox}，并在邮件题目写明：{SUBJECT_CONVENTION}，"
        "会员管理部将有专人对接联系。"
    )


BLANK_ITEMS = 2  # numbered lines printed in an empty section ("1．", "2．", "……")
FONT_SONG = "宋体"
FONT_HEI = "黑体"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class FormData:
    """What a form carries. Empty values print as blanks to fill in by hand."""

    serial: str = ""
    form_date: datetime.date | None = None
    company: str = ""
    contact: str = ""
    phone: str = ""
    email: str = ""
    suggestions: list[str] = field(default_factory=list)
    help_requests: list[str] = field(default_factory=list)
    year: int | None = None  # printed in a blank date ("2023年  月  日")


def _font(run, name: str = FONT_SONG, size: float = 12, bold: bool = False) -> None:  # noqa: ANN001
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _para(
    container,
    text: str = "",
    *,
    size: float = 12,
    bold: bool = False,
    align=None,
    font: str = FONT_SONG,  # noqa: ANN001
    space_after: float = 0,
    first: bool = False,
):
    paragraph = container.paragraphs[0] if first and container.paragraphs else container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _cell(cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.CENTER) -> None:  # noqa: ANN001
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _para(cell, text, bold=bold, align=align, first=True)


def _section(cell, label: str, items: Sequence[str]) -> None:  # noqa: ANN001
    _para(cell, f"{label}：", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True, space_after=6)
    lines = (
        [f"{n}．{text}" for n, text in enumerate(items, start=1)]
        if items
        else [f"{n}．" for n in range(1, BLANK_ITEMS + 1)]
    )
    for line in lines:
        _para(cell, line, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=4)
    if not items:
        _para(cell, "……", align=WD_ALIGN_PARAGRAPH.LEFT)
    # Room to write by hand in a blank form.
    for _ in range(2 if items else 4):
        _para(cell, "")


def _row_height(row, cm: float) -> None:  # noqa: ANN001
    row.height = Cm(cm)


def form_docx(data: FormData | None = None) -> bytes:
    """The form as .docx bytes: blank when ``data`` is None or empty, otherwise pre-filled."""
    data = data or FormData()
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    style = document.styles["Normal"]
    style.font.name = FONT_SONG
    style.font.size = Pt(12)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_SONG)
    document.core_properties.title = TITLE
    document.core_properties.author = exchange().name_zh

    _para(document, "附", size=12, font=FONT_HEI, first=True, space_after=6)
    _para(document, TITLE, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=FONT_HEI, space_after=12)
    serial = data.serial or "    "
    line = _para(document, f"{SERIAL_LABEL}：", space_after=4)
    _font(line.add_run(serial), FONT_SONG, 12, bool(data.serial))
    _font(line.add_run(SERIAL_HINT), FONT_SONG, 10.5)
    if data.form_date is not None:
        date_text = f"{data.form_date.year}年{data.form_date.month:02d}月{data.form_date.day:02d}日"
    else:
        date_text = f"{data.year or datetime.date.today().year}年    月    日"
    _para(document, f"{DATE_LABEL}：{date_text}", space_after=8)

    table = document.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(3.4), Cm(4.6), Cm(3.4), Cm(4.6))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    first, second = table.rows[0], table.rows[1]
    _cell(first.cells[0], COMPANY_LABEL, bold=True)
    _cell(first.cells[1], data.company)
    _cell(first.cells[2], CONTACT_LABEL, bold=True)
    _cell(first.cells[3], data.contact)
    _cell(second.cells[0], PHONE_LABEL, bold=True)
    _cell(second.cells[1], data.phone)
    _cell(second.cells[2], EMAIL_LABEL, bold=True)
    _cell(second.cells[3], data.email)
    for row in (first, second):
        _row_height(row, 1.2)
    suggestions = table.rows[2].cells[0].merge(table.rows[2].cells[3])
    _section(suggestions, SUGGESTIONS_LABEL, data.suggestions)
    help_cell = table.rows[3].cells[0].merge(table.rows[3].cells[3])
    _section(help_cell, HELP_LABEL, data.help_requests)
    seal = table.rows[4].cells[0].merge(table.rows[4].cells[3])
    _para(seal, "", first=True)
    _para(seal, "")
    _para(seal, SEAL_LABEL, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=6)
    _row_height(table.rows[4], 3.0)

    _para(document, "", space_after=4)
    _para(document, note(), size=10.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
