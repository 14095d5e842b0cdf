"""iCalendar (RFC 5545) for published sessions: one event per session (UID stable per session),
and a feed per series. The online link is never in these public files: it goes to registered
people only."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from icalendar import Calendar, Event

from .models import Series, Session

PRODID = "-//Huifu//Investor education//ZH"


def _event(session: Session, base_url: str, stamp: datetime.datetime | None = None) -> Event:
    event = Event()
    event.add("uid", f"event-session-{session.pk}@huifu")
    event.add("dtstamp", (stamp or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC))
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", f"{session.series.title_zh}：{session.title}")
    where = [part for part in (session.address, session.room) if part] if session.has_venue else []
    if session.is_online:
        where.append(f"线上（{session.platform}）")
    event.add("location", "，".join(where))
    description = [session.programme] if session.programme else []
    speakers = "、".join(s.name for s in session.speakers.all())
    if speakers:
        description.append(f"演讲嘉宾：{speakers}")
    event.add("description", "\n\n".join(description))
    event.add("url", base_url + session.get_public_url())
    event.add("status", "CONFIRMED")
    return event


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def session_calendar(session: Session, base_url: str, stamp: datetime.datetime | None = None) -> bytes:
    """``stamp``: the DTSTAMP (default now); the confirmation mails pass the session's last change,
    so one version of a session gives one file, stored once and attached to every mail."""
    cal = _calendar(session.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_event(session, base_url, stamp))
    return cal.to_ical()


def series_calendar(series: Series, sessions: Iterable[Session], base_url: str) -> bytes:
    cal = _calendar(series.title_zh)
    for session in sessions:
        cal.add_component(_event(session, base_url))
    return cal.to_ical()
