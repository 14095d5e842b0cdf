"""Generated documents: the PDF reply letter (through the shared PDF helper ``huifu.core.pdf``,
whose Chinese font is embedded) and the .ics meeting invitation (icalendar)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Spacer

from huifu.core import pdf
from huifu.core.identity import exchange

LETTER_RED = HexColor("#c00000")
# The issuing department when the reply names none: the department whose role is to coordinate
# member matters (huifu.directory, kind "coordinator"), by its name in the directory.


def _coordinator_department() -> str:
    from huifu.directory.models import Department, DepartmentKind

    name = (
        Department.objects.filter(kind=DepartmentKind.COORDINATOR, is_active=True)
        .order_by("sort_order", "code")
        .values_list("name_zh", flat=True)
        .first()
    )
    return name or ""


def sender() -> str:
    """The exchange's name and its coordinating department, as a letter or invitation signs."""
    return f"{exchange().name_zh}{_coordinator_department()}"


def reply_letter_pdf(
    *,
    form: Any,
    text: str,
    sent_on: datetime.date,
    doc_number: str = "",
    department: str = "",
    preview: bool = False,
) -> bytes:
    """A4 letter as an exchange sends it: the exchange's name and the document number (文号)
    over a red rule, the addressee, a reference to the form (year and serial), the reply text,
    and the issuing department with the date. ``preview`` marks the letter as not yet sent."""
    st = pdf.styles()
    name = exchange().name_zh
    department = department or _coordinator_department()
    issuer = department if department.startswith(name) else f"{name}{department}"
    contact = department or name
    org = form.organisation
    story: list[Any] = []
    if preview:
        story.append(pdf.para("【预览 · 尚未发送，文号在发送时编定】", "small"))
    story += [
        pdf.para(
            name,
            st["letter_title"].clone("masthead", textColor=LETTER_RED, fontSize=22, leading=30, spaceAfter=3 * mm),
        ),
        pdf.para(doc_number, st["plain"].clone("docno", alignment=1)),
        HRFlowable(width="100%", thickness=1.5, color=LETTER_RED, spaceBefore=2 * mm, spaceAfter=6 * mm),
        pdf.para("关于“一站通”会员之声反馈的答复函", "letter_title"),
        pdf.para(f"{org.name_zh}：", "plain"),
        Spacer(1, 3 * mm),
        pdf.para(
            f"贵公司于{form.received_at.astimezone(timezone.get_fixed_timezone(480)):%Y年%m月%d日}报送的"
            f"{form.year}年第{form.serial_display}号“一站通”会员之声反馈表收悉。经研究，现答复如下：",
            "letter",
        ),
        Spacer(1, 2 * mm),
    ]
    for paragraph in [p.strip() for p in (text or "").split("\n") if p.strip()]:
        story.append(pdf.para(paragraph, "letter"))
    story += [
        Spacer(1, 4 * mm),
        pdf.para(f"感谢贵公司对交易所工作的支持。如有疑问，请联系{contact}。", "letter"),
        Spacer(1, 12 * mm),
        pdf.para(issuer, "right"),
        pdf.para(f"{sent_on:%Y年%m月%d日}", "right"),
    ]
    return pdf.build(story, title="会员之声反馈答复函", author=issuer, margins_mm=(25, 25, 25, 20))


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
    organizer.params["cn"] = vText(sender())
    event["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{form.email}")
    attendee.params["cn"] = vText(form.contact_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()
