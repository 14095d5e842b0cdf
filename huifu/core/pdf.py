"""The one way Huifu writes PDFs (letters, activity summaries, plan summaries).

Chinese text is set in Noto Sans SC (SIL OFL 1.1, ``huifu/core/fonts/``), registered as a reportlab
``TTFont``: reportlab embeds a *subset* of the glyphs the document uses, so the PDF shows the same
characters on every viewer. The built-in CID font ``STSong-Light`` that the apps used before is
only *referenced* (not embedded): viewers without an Asian font pack showed blanks.
``huifu/core/tests/test_pdf.py`` fails if any module registers a CID font or builds its own styles.

Producers use :func:`styles` for paragraph styles, :func:`para` and :func:`table` for content and
:func:`build` for the A4 document; amounts go through ``huifu.core.formats.money``.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT_NAME = "NotoSansSC"
FONT_PATH = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular.ttf"
HEADER_BACKGROUND = colors.HexColor("#eef2f6")


@cache
def font() -> str:
    """The registered font name (registered once per process, ~0.1 s)."""
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        # subfontIndex 0, asciiReadable keeps the embedded subset's text searchable/copyable.
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles shared by every document: ``title``, ``h2``, ``body``, ``small``,
    ``letter`` (first-line indent, for letters), ``plain`` and ``right``."""
    name = font()
    body = ParagraphStyle("body", fontName=name, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontSize=16, leading=22, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4),
        "small": ParagraphStyle("small", parent=body, fontSize=9, leading=13),
        "letter_title": ParagraphStyle(
            "letter_title", parent=body, fontSize=18, leading=26, alignment=1, spaceAfter=8 * mm
        ),
        "letter": ParagraphStyle("letter", parent=body, fontSize=12, leading=21, firstLineIndent=24),
        "plain": ParagraphStyle("plain", parent=body, fontSize=12, leading=21),
        "right": ParagraphStyle("right", parent=body, fontSize=12, leading=21, alignment=2),
    }


def para(text: Any, style: str | ParagraphStyle = "body") -> Paragraph:
    """A paragraph of plain text (escaped; newlines become line breaks)."""
    if isinstance(style, str):
        style = styles()[style]
    return Paragraph(escape(str(text if text is not None else "")).replace("\n", "<br/>"), style)


def table(rows: list[list[Any]], widths: list[float], *, style: str = "body", header: bool = True) -> Table:
    """A grid table; cells that are not flowables become paragraphs. With ``header`` the first
    row is shaded and repeated on every page."""
    cells = [[c if hasattr(c, "wrap") else para(c, style) for c in row] for row in rows]
    result = Table(cells, colWidths=widths, repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_BACKGROUND))
    result.setStyle(TableStyle(commands))
    return result


def build(
    story: list[Any], *, title: str = "", author: str = "", margins_mm: tuple[float, ...] = (18, 18, 16, 16)
) -> bytes:
    """The A4 PDF of ``story`` as bytes. ``margins_mm`` is (left, right, top, bottom)."""
    font()
    left, right, top, bottom = margins_mm
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=left * mm,
        rightMargin=right * mm,
        topMargin=top * mm,
        bottomMargin=bottom * mm,
        title=title,
        author=author,
    )
    doc.build(story)
    return buffer.getvalue()
