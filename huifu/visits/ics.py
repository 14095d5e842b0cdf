"""The .ics invitation (RFC 5545) for an arranged visit. One UID per visit; SEQUENCE is the
arrangement version, so a re-arrangement updates the entry in the attendees' calendars and a
cancellation removes it."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from huifu.core.identity import exchange

from .models import VisitRequest

PRODID = "-//Huifu//Visits//ZH"


def _address(email: str, name: str = "", role: str = "REQ-PARTICIPANT") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    address.params["role"] = vText(role)
    return address


def visit_calendar(visit: VisitRequest, attendees: list[Any] | None = None, *, cancel: bool = False) -> bytes:
    """The invitation (METHOD:REQUEST) or cancellation (METHOD:CANCEL) as bytes."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", f"visit-{visit.ics_uid}@huifu")
    event.add("sequence", visit.arrangement_version)
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", visit.starts_at.astimezone(datetime.UTC))
    event.add("dtend", visit.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"接待来访：{visit.organisation.name_zh}")
    event.add("location", visit.place)
    description = [f"来访目的：{visit.purpose}"]
    if visit.agenda:
        description.append(f"议程：\n{visit.agenda}")
    description.append(f"来访人员：\n{visit.visitors}")
    event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organizer = _address(settings.DEFAULT_FROM_EMAIL.split("<")[-1].strip(" >"), exchange().name_zh, "CHAIR")
    event.add("organizer", organizer)
    event.add("attendee", _address(visit.contact_email, visit.contact_name))
    for user in attendees if attendees is not None else visit.attendees.all():
        event.add("attendee", _address(user.email, user.full_name))
    cal.add_component(event)
    return cal.to_ical()
