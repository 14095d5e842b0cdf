"""The document as a Word file (python-docx), laid out like the exchange's own: 附件 mark, a
two-line title, 黑体 part headings, numbered programmes, 仿宋 body with a two-character indent,
real Word footnotes, and the feedback form on its own page.

Deterministic: the core properties carry the year's "as of" date (never "now") and the zip is
rewritten with fixed timestamps, so the same document gives the same bytes."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from huifu.intake import wordform as wf

from . import form
from .document import run_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FANGSONG, HEITI, KAITI, SONGTI = "仿宋", "黑体", "楷体", "宋体"
BODY_PT = 14
LINE_PT = 26


def _fonts(run: Any, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(
    container: Any,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: float = BODY_PT,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
    before: float = 0,
    after: float = 0,
    exact: bool = True,
) -> Any:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(max(LINE_PT, size + 8))
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    if text:
        _fonts(paragraph.add_run(text), font, size, bold=bold)
    return paragraph


def _footnote_ref(paragraph: Any, n: int) -> None:
    run = paragraph.add_run()
    _fonts(run, FANGSONG, BODY_PT)
    r_pr = run._element.get_or_add_rPr()
    vert = OxmlElement("w:vertAlign")
    vert.set(qn("w:val"), "superscript")
    r_pr.append(vert)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(n))
    run._element.append(ref)


def _runs(paragraph: Any, runs: list[list[Any]], *, font: str = FANGSONG, size: float = BODY_PT) -> None:
    for kind, value in runs:
        if kind == "t":
            _fonts(paragraph.add_run(value), font, size)
        else:
            _footnote_ref(paragraph, value)


def _footnotes_part(document: Any, notes: list[dict[str, Any]]) -> None:
    def para(inner: str) -> str:
        return f'<w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>{inner}</w:p>'

    fonts = f'<w:rFonts w:ascii="{FANGSONG}" w:hAnsi="{FANGSONG}" w:eastAsia="{FANGSONG}" w:cs="{FANGSONG}"/>'
    body = [
        f'<w:footnote w:type="separator" w:id="-1">{para("<w:r><w:separator/></w:r>")}</w:footnote>',
        f'<w:footnote w:type="continuationSeparator" w:id="0">{para("<w:r><w:continuationSeparator/></w:r>")}</w:footnote>',
    ]
    for note in notes:
        body.append(
            f'<w:footnote w:id="{note["n"]}">'
            + para(
                f'<w:r><w:rPr>{fonts}<w:sz w:val="18"/><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr>{fonts}<w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> {escape(note["text"])}</w:t></w:r>'
            )
            + "</w:footnote>"
        )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:footnotes xmlns:w="{W_NS}">{"".join(body)}</w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"), FOOTNOTES_CT, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    # As Word writes it: the settings name the separator footnotes (before w:compat, schema order).
    settings = document.settings.element
    footnote_pr = OxmlElement("w:footnotePr")
    for ident in ("-1", "0"):
        ref = OxmlElement("w:footnote")
        ref.set(qn("w:id"), ident)
        footnote_pr.append(ref)
    compat = settings.find(qn("w:compat"))
    if compat is not None:
        compat.addprevious(footnote_pr)
    else:
        settings.append(footnote_pr)


def _cell(cell: Any, text: str, *, bold: bool = False, align: Any = WD_ALIGN_PARAGRAPH.CENTER) -> Any:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    if text:
        _fonts(paragraph.add_run(text), FANGSONG, 12, bold=bold)
    return paragraph


def _form(document: Any, doc: dict[str, Any]) -> None:
    _paragraph(document, form.ATTACHED, font=HEITI, size=BODY_PT)
    _paragraph(document, wf.TITLE, font=SONGTI, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    line = _paragraph(document, f"{wf.SERIAL_LABEL}：    ", size=12)
    _fonts(line.add_run(wf.SERIAL_HINT), FANGSONG, 10.5)
    _paragraph(document, form.date_line(doc), size=12, after=6)
    table = document.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(3.4), Cm(4.6), Cm(3.4), Cm(4.6)), strict=True):
            cell.width = width
    for row, (a, b) in zip(
        table.rows[:2], ((wf.COMPANY_LABEL, wf.CONTACT_LABEL), (wf.PHONE_LABEL, wf.EMAIL_LABEL)), strict=True
    ):
        _cell(row.cells[0], a, bold=True)
        _cell(row.cells[2], b, bold=True)
        row.height = Cm(1.2)
    for index, label in ((2, wf.SUGGESTIONS_LABEL), (3, wf.HELP_LABEL)):
        cell = table.rows[index].cells[0].merge(table.rows[index].cells[3])
        _cell(cell, f"{label}：", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for item in form.blank_items():
            _paragraph(cell, item, size=12, exact=False)
        for _ in range(3):
            _paragraph(cell, "", size=12, exact=False)
    seal = table.rows[4].cells[0].merge(table.rows[4].cells[3])
    _cell(seal, "")
    _paragraph(seal, "", size=12, exact=False)
    _paragraph(seal, wf.SEAL_LABEL, size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, exact=False, after=6)
    table.rows[4].height = Cm(3.0)
    _paragraph(document, "", size=12)
    _paragraph(document, form.note(doc), size=10.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY, exact=False)


def _fixed_zip(data: bytes, day: datetime.date) -> bytes:
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def docx_bytes(doc: dict[str, Any], *, author: str = "") -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.0)
    normal = document.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)

    day = datetime.date.fromisoformat(doc["as_of"])
    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    props = document.core_properties
    props.title = "".join(doc["title"])
    props.author = author
    props.last_modified_by = author
    props.subject = props.keywords = props.comments = props.category = ""
    props.created = props.modified = props.last_printed = moment
    props.revision = 1

    body = document.paragraphs[0] if document.paragraphs else _paragraph(document)
    _fonts(body.add_run(doc["attachment"]), HEITI, BODY_PT)
    for i, line in enumerate(doc["title"]):
        _paragraph(
            document,
            line,
            font=SONGTI,
            size=20,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            before=12 if i == 0 else 0,
            after=18 if i == len(doc["title"]) - 1 else 0,
        )
    for runs in doc["preface"]:
        _runs(_paragraph(document, indent=True, align=WD_ALIGN_PARAGRAPH.LEFT), runs)
    for part in doc["parts"]:
        _paragraph(document, part["heading"], font=HEITI, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=6)
        for programme in part["programmes"]:
            if programme["heading"]:
                _paragraph(document, programme["heading"], font=KAITI, size=BODY_PT, bold=True, indent=True, before=6)
            for sec in programme["sections"]:
                _paragraph(document, sec["heading"], font=FANGSONG, size=BODY_PT, bold=True, indent=True)
                for runs in sec["paragraphs"]:
                    _runs(_paragraph(document, indent=True, align=WD_ALIGN_PARAGRAPH.LEFT), runs)
    for runs in doc["closing"]:
        _runs(_paragraph(document, indent=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=12), runs)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    _form(document, doc)
    if doc["footnotes"]:
        _footnotes_part(document, doc["footnotes"])
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue(), day)


def docx_text(data: bytes) -> str:
    """The text of a generated .docx (paragraphs, table cells, footnotes): what the tests compare."""
    from lxml import etree

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "word/footnotes.xml" in archive.namelist():
            tree = etree.fromstring(archive.read("word/footnotes.xml"))
            for note in tree.findall(f"{{{W_NS}}}footnote"):
                lines.append("".join(note.itertext()))
    return "\n".join(lines)


__all__ = ["CONTENT_TYPE", "docx_bytes", "docx_text", "run_text"]
