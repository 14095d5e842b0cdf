"""Generated documents: the PDF reply letter (reportlab, built-in CID font STSong-Light, so
Chinese renders without any system font) and the .ics meeting invitation (icalendar)."""

from __future__ import annotations

import datetime
import io
import uuid
from typing import Any

from django.utils import timezone
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

FONT = "STSong-Light"
EXCHANGE = "上海期货交易所"
SENDER = "上海期货交易所会员管理部"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def reply_letter_pdf(*, form: Any, text: str, sent_on: datetime.date) -> bytes:
    """A4 letter: addressee, reference to the form (year and serial), the reply text, signature."""
    font = _font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=8 * mm)
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, firstLineIndent=24, wordWrap="CJK")
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    right = ParagraphStyle("right", parent=plain, alignment=TA_RIGHT)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title="会员之声反馈答复函",
        author=SENDER,
    )
    org = form.organisation
    story = [
        Paragraph("关于“一站通”会员之声反馈的答复函", title),
        Paragraph(f"{_escape(org.name_zh)}：", plain),
        Spacer(1, 3 * mm),
        Paragraph(
            f"贵公司于{form.received_at.astimezone(timezone.get_fixed_timezone(480)):%Y年%m月%d日}报送的"
            f"{form.year}年第{form.serial_display}号“一站通”会员之声反馈表收悉。经研究，现答复如下：",
            body,
        ),
        Spacer(1, 2 * mm),
    ]
    for para in [p.strip() for p in (text or "").split("\n") if p.strip()]:
        story.append(Paragraph(_escape(para), body))
    story += [
        Spacer(1, 4 * mm),
        Paragraph("感谢贵公司对交易所工作的支持。如有疑问，请联系会员管理部。", body),
        Spacer(1, 12 * mm),
        Paragraph(SENDER, right),
        Paragraph(f"{sent_on:%Y年%m月%d日}", right),
    ]
    doc.build(story)
    return buffer.getvalue()


def meeting_ics(*, form: Any, reply: Any, organiser_email: str) -> bytes:
    """An iCalendar REQUEST for the one-to-one online meeting."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", "-//Huifu//Member Voice//ZH")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@huifu")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", reply.meeting_at)
    event.add("dtend", reply.meeting_at + datetime.timedelta(minutes=reply.meeting_minutes or 60))
    event.add("summary", f"会员之声反馈沟通会：{form.organisation.name_zh} {form.year}-{form.serial_display}")
    description = (reply.text or "") + (f"\n\n会议链接：{reply.meeting_link}" if reply.meeting_link else "")
    if reply.attendees:
        description += f"\n交易所参会人员：{reply.attendees}"
    event.add("description", description)
    if reply.meeting_link:
        event.add("location", reply.meeting_link)
        event.add("url", reply.meeting_link)
    organizer = vCalAddress(f"mailto:{organiser_email}")
    organizer.params["cn"] = vText(SENDER)
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{form.email}")
    attendee.params["cn"] = vText(form.contact_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()
