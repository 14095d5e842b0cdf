"""The document as a PDF through ``huifu.core.pdf`` (embedded Noto Sans SC subset).

Footnote marks are superscript numbers; the footnotes are printed after the closing words,
under a short rule (a PDF has no Word footnote area). Deterministic: reportlab's invariant mode
fixes the creation date and document id while the file is written."""

from __future__ import annotations

import threading
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, PageBreak, Paragraph, Spacer

from huifu.core import pdf
from huifu.intake import wordform as wf

from . import form

_LOCK = threading.Lock()


def _styles() -> dict[str, ParagraphStyle]:
    base = pdf.styles()["body"]
    return {
        "mark": ParagraphStyle("yp_mark", parent=base, fontSize=12, leading=20),
        "title": ParagraphStyle("yp_title", parent=base, fontSize=18, leading=28, alignment=1),
        "part": ParagraphStyle(
            "yp_part", parent=base, fontSize=14, leading=24, alignment=1, spaceBefore=10, spaceAfter=4
        ),
        "programme": ParagraphStyle("yp_prog", parent=base, fontSize=12, leading=22, firstLineIndent=24, spaceBefore=6),
        "section": ParagraphStyle("yp_sec", parent=base, fontSize=12, leading=22, firstLineIndent=24),
        "body": ParagraphStyle("yp_body", parent=base, fontSize=12, leading=22, firstLineIndent=24, alignment=4),
        "note": ParagraphStyle("yp_note", parent=base, fontSize=9, leading=14),
        "form_title": ParagraphStyle("yp_form_title", parent=base, fontSize=16, leading=26, alignment=1, spaceAfter=8),
        "plain": ParagraphStyle("yp_plain", parent=base, fontSize=11, leading=20),
    }


def _markup(runs: list[list[Any]]) -> str:
    return "".join(escape(v) if k == "t" else f"<super>{v}</super>" for k, v in runs)


def pdf_bytes(doc: dict[str, Any], *, author: str = "") -> bytes:
    s = _styles()
    story: list[Any] = [Paragraph(escape(doc["attachment"]), s["mark"]), Spacer(1, 4 * mm)]
    story += [Paragraph(escape(line), s["title"]) for line in doc["title"]]
    story.append(Spacer(1, 6 * mm))
    story += [Paragraph(_markup(p), s["body"]) for p in doc["preface"]]
    for part in doc["parts"]:
        story.append(Paragraph(escape(part["heading"]), s["part"]))
        for programme in part["programmes"]:
            if programme["heading"]:
                story.append(Paragraph(f"<b>{escape(programme['heading'])}</b>", s["programme"]))
            for sec in programme["sections"]:
                story.append(Paragraph(escape(sec["heading"]), s["section"]))
                story += [Paragraph(_markup(p), s["body"]) for p in sec["paragraphs"]]
    story.append(Spacer(1, 3 * mm))
    story += [Paragraph(_markup(p), s["body"]) for p in doc["closing"]]
    if doc["footnotes"]:
        story.append(Spacer(1, 4 * mm))
        story.append(HRFlowable(width="30%", thickness=0.5, hAlign="LEFT"))
        story += [Paragraph(f"<super>{n['n']}</super> {escape(n['text'])}", s["note"]) for n in doc["footnotes"]]
    story.append(PageBreak())
    story.append(Paragraph(escape(form.ATTACHED), s["mark"]))
    story.append(Paragraph(escape(wf.TITLE), s["form_title"]))
    # The blanks to fill in by hand keep their width (a paragraph would collapse the spaces).
    story.append(Paragraph(escape(form.serial_line()).replace(" ", "&nbsp;&nbsp;"), s["plain"]))
    story.append(Paragraph(escape(form.date_line(doc)).replace(" ", "&nbsp;&nbsp;"), s["plain"]))
    story.append(Spacer(1, 3 * mm))
    items = "<br/>".join(escape(i) for i in form.blank_items()) + "<br/><br/><br/>"
    rows = [
        [wf.COMPANY_LABEL, "", wf.CONTACT_LABEL, ""],
        [wf.PHONE_LABEL, "", wf.EMAIL_LABEL, ""],
        [Paragraph(f"{escape(wf.SUGGESTIONS_LABEL)}：<br/>{items}", s["plain"]), "", "", ""],
        [Paragraph(f"{escape(wf.HELP_LABEL)}：<br/>{items}", s["plain"]), "", "", ""],
        [
            Paragraph(
                f"<br/><br/><br/>{escape(wf.SEAL_LABEL)}", ParagraphStyle("yp_seal", parent=s["plain"], alignment=2)
            ),
            "",
            "",
            "",
        ],
    ]
    grid = pdf.table(rows, [34 * mm, 48 * mm, 34 * mm, 48 * mm], style="body", header=False)
    grid.setStyle(
        [("SPAN", (0, r), (3, r)) for r in (2, 3, 4)]
        + [
            ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, 1), 9),
            ("BOTTOMPADDING", (0, 0), (-1, 1), 9),
        ]
    )
    story.append(grid)
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(escape(form.note(doc)), s["note"]))
    with _LOCK:
        before = rl_config.invariant
        rl_config.invariant = 1
        try:
            return pdf.build(story, title="".join(doc["title"]), author=author, margins_mm=(25, 25, 28, 25))
        finally:
            rl_config.invariant = before
