"""Builders for the online-attendance tests: an online session with confirmed people, export files."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huifu.core.testing.factories import UserFactory
from huifu.events import services

from .conftest import session_data

HEADER = ["姓名", "手机号", "邮箱", "入会时间", "退会时间"]


def online_session(coordinator, co_organisers=(), title="线上考勤测试", day=None):
    """A published online afternoon session (13:30–17:00, 3.5 h), by default 30 days ahead."""
    day = day or timezone.localdate() + datetime.timedelta(days=30)
    series = services.series_create(actor=coordinator, year=day.year, kind="training", title_zh=title)
    session = services.session_create(
        actor=coordinator,
        series=series,
        co_organisers=list(co_organisers),
        **session_data(
            title=title,
            date=day,
            mode="online",
            platform="腾讯会议",
            link="https://meeting.tencent.com/dm/abc",
            room="",
            address="",
            audiences=["members_practitioners"],
        ),
    )
    return services.session_publish(actor=coordinator, session=session)


def register(session, *people):
    return [services.registration_create(actor=person, session=session) for person in people]


def person(name, phone="", email=None):
    return UserFactory(full_name=name, phone=phone, **({"email": email} if email else {}))


def at(session, hhmm: str) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on the session's day."""
    return f"{session.date:%Y-%m-%d} {hhmm}:00" if hhmm.count(":") == 1 else f"{session.date:%Y-%m-%d} {hhmm}"


def csv_upload(lines, *, encoding="utf-8-sig", name="participants.csv", header=HEADER, preamble=()):
    text = io.StringIO()
    for line in [*preamble, header, *lines]:
        text.write(",".join(line) + "\r\n")
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, name="participants.xlsx"):
    from huifu.core.spreadsheets import to_bytes, workbook

    book = workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    return SimpleUploadedFile(name, to_bytes(book), content_type="application/octet-stream")


def after(session):
    """A moment after the session has ended (to freeze time at)."""
    return session.ends_at + datetime.timedelta(hours=2)
