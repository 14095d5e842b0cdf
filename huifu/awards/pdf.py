"""A winner's certificate (荣誉证书) as a PDF, through the kit (``huifu.core.pdf``: Noto Sans SC
embedded). Built from what the winner row stored at publication, so it prints the same every
time; the QR code holds the public verification address. English first for an English-first
programme (the overseas broker award), Chinese first otherwise; a revoked award prints that across the top."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table, TableStyle

from huifu.certificates.pdf import qr_png
from huifu.core import pdf
from huifu.core.identity import exchange
from huifu.directory.models import DepartmentKind

from .models import Winner, WinnerState


def _styles() -> dict[str, ParagraphStyle]:
    body = pdf.styles()["body"]
    return {
        "heading": ParagraphStyle("aw_heading", parent=body, fontSize=30, leading=40, alignment=1),
        "sub": ParagraphStyle("aw_sub", parent=body, fontSize=14, leading=20, alignment=1),
        "name": ParagraphStyle("aw_name", parent=body, fontSize=20, leading=30, alignment=1),
        "text": ParagraphStyle("aw_text", parent=body, fontSize=14, leading=26, alignment=1),
        "right": ParagraphStyle("aw_right", parent=body, fontSize=13, leading=22, alignment=2),
        "mark": ParagraphStyle(
            "aw_mark", parent=body, fontSize=16, leading=24, alignment=1, textColor=colors.HexColor("#b00020")
        ),
    }


def _day_zh(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def winner_certificate_pdf(winner: Winner) -> bytes:
    edition, programme = winner.edition, winner.edition.programme
    style = _styles()
    issued = timezone.localdate(winner.published_at)
    english_first = programme.english_first
    first_name = winner.name_en if english_first and winner.name_en else winner.name_zh
    story: list[Any] = []
    if winner.state == WinnerState.REVOKED:
        story.append(
            pdf.para(
                f"本奖项已于 {_day_zh(timezone.localtime(winner.revoked_at))} 撤销，不再有效 / "
                f"This award was revoked on {timezone.localtime(winner.revoked_at):%Y-%m-%d}",
                style["mark"],
            )
        )
    headings = ["Certificate of Honour", "荣誉证书"] if english_first else ["荣誉证书", "Certificate of Honour"]
    story += [
        Spacer(1, 12 * mm),
        pdf.para(headings[0], style["heading"]),
        pdf.para(headings[1], style["sub"]),
        Spacer(1, 3 * mm),
        pdf.para(f"No. {winner.number}", style["sub"]),
        Spacer(1, 12 * mm),
        pdf.para(first_name, style["name"]),
    ]
    second_name = winner.name_zh if english_first else winner.name_en
    if second_name and second_name != first_name:
        story.append(pdf.para(second_name, style["sub"]))
    if winner.members:
        story.append(pdf.para("、".join(winner.members), style["sub"]))
    zh = f"荣获{edition.title_zh}「{winner.category.name_zh}」。特发此证，以资鼓励。"
    en = f"is awarded “{winner.category.name_en}” of the {edition.title_en}."
    story += [Spacer(1, 8 * mm)]
    for line in [en, zh] if english_first else [zh, en]:
        story.append(pdf.para(line, style["text"]))
    department = programme.department
    # The certificate is the exchange's (or, for an award its subsidiary runs, the subsidiary's),
    # signed by the department that ran the award; names come from the identity data.
    ex = exchange()
    if department.kind == DepartmentKind.SUBSIDIARY and ex.has_subsidiary:
        body_zh, body_en = ex.subsidiary_name_zh, ex.subsidiary_name_en
    else:
        body_zh, body_en = ex.name_zh, ex.name_en
    issuer_zh = f"{body_zh}{department.name_zh}"
    issuer = f"{body_en or body_zh}, {department.name_en} / {issuer_zh}" if english_first else issuer_zh
    story += [
        Spacer(1, 22 * mm),
        pdf.para(issuer, style["right"]),
        pdf.para(f"{issued:%Y-%m-%d}" if english_first else _day_zh(issued), style["right"]),
        Spacer(1, 16 * mm),
    ]
    qr = Image(io.BytesIO(qr_png(winner.verification_url)), width=34 * mm, height=34 * mm)
    note = pdf.para(
        f"扫描二维码或访问以下地址核验 / Scan or visit to verify:\n{winner.verification_url}\n核验码 Code：{winner.code}",
        "small",
    )
    footer = Table([[qr, note]], colWidths=[40 * mm, 130 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(footer)
    return pdf.build(story, title=f"荣誉证书 {winner.number}", author=department.name_zh, margins_mm=(24, 24, 24, 20))
