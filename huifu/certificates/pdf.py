"""The certificate as a PDF, through the kit (``huifu.core.pdf``: Noto Sans SC embedded).

Built from what the certificate stored at issue (name, title, dates, hours, number, code), so
the same certificate prints the same every time. The QR code (``qrcode`` package, PNG) holds the
public verification address. Words are Chinese whatever the reader's language: it is the
exchange's document. A revoked or replaced certificate prints that across its top."""

from __future__ import annotations

import io
from typing import Any

import qrcode
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table, TableStyle

from huifu.core import pdf

from .models import KIND_ZH, Certificate, CertificateKind, CertificateState

_STYLES: dict[str, ParagraphStyle] = {}


def _style(name: str) -> ParagraphStyle:
    if not _STYLES:
        body = pdf.styles()["body"]
        _STYLES.update(
            heading=ParagraphStyle("cert_heading", parent=body, fontSize=30, leading=40, alignment=1),
            issuer=ParagraphStyle("cert_issuer", parent=body, fontSize=14, leading=22, alignment=1),
            text=ParagraphStyle("cert_text", parent=body, fontSize=14, leading=28, firstLineIndent=28),
            centre=ParagraphStyle("cert_centre", parent=body, fontSize=11, leading=18, alignment=1),
            right=ParagraphStyle("cert_right", parent=body, fontSize=13, leading=22, alignment=2),
            mark=ParagraphStyle(
                "cert_mark", parent=body, fontSize=16, leading=24, alignment=1, textColor=colors.HexColor("#b00020")
            ),
        )
    return _STYLES[name]


def _day(value: Any) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _issuer() -> str:
    from huifu.core.identity import exchange

    return exchange().name_zh


def _body(certificate: Certificate) -> str:
    name, title = certificate.holder_name, certificate.title
    if certificate.kind == CertificateKind.ATTENDANCE:
        series = f"（{certificate.series.title_zh}）" if certificate.series_id else ""
        return f"兹证明 {name} 于 {_day(certificate.session_date)} 参加了「{title}」{series}，特此证明。"
    count = len(certificate.eligibility.get("sessions", []))
    return (
        f"兹证明 {name} 参加「{title}」培训，出席全部 {count} 场必修课程，"
        f"于 {_day(certificate.completion_date)} 完成培训，准予结业。"
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    issuer = _issuer()
    story: list[Any] = []
    if certificate.state == CertificateState.REVOKED:
        story.append(
            pdf.para(f"本证书已于 {_day(timezone.localtime(certificate.revoked_at))} 撤销，不再有效", _style("mark"))
        )
    elif certificate.state == CertificateState.REPLACED:
        story.append(pdf.para("本证书已被换发的新证书取代，不再有效", _style("mark")))
    story += [
        Spacer(1, 14 * mm),
        pdf.para(KIND_ZH[certificate.kind], _style("heading")),
        Spacer(1, 4 * mm),
        pdf.para(f"编号：{certificate.number}", _style("centre")),
        Spacer(1, 14 * mm),
        pdf.para(_body(certificate), _style("text")),
    ]
    if certificate.hours:
        hours = "；".join(f"{row['label']} {row['hours']} 学时" for row in certificate.hours)
        story += [Spacer(1, 4 * mm), pdf.para(f"获得学时：{hours}。", _style("text"))]
    story += [
        Spacer(1, 24 * mm),
        pdf.para(issuer, _style("right")),
        pdf.para(f"签发日期：{_day(certificate.issued_on)}", _style("right")),
        Spacer(1, 20 * mm),
    ]
    qr = Image(io.BytesIO(qr_png(certificate.verification_url)), width=34 * mm, height=34 * mm)
    note = pdf.para(
        f"扫描二维码或访问以下地址核验本证书真伪：\n{certificate.verification_url}\n核验码：{certificate.code}",
        "small",
    )
    footer = Table([[qr, note]], colWidths=[40 * mm, 130 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(footer)
    return pdf.build(
        story,
        title=f"{KIND_ZH[certificate.kind]} {certificate.number}",
        author=issuer,
        margins_mm=(24, 24, 24, 20),
    )
