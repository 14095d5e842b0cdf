"""Builders for credit-hour tests: sessions, confirmed registrations, check-ins and online
attendance results as the events app leaves them (the import flow itself is tested in events)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huifu.credits import services
from huifu.credits.models import HourCategory
from huifu.events.models import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceResult,
    CheckIn,
    Registration,
    RegistrationState,
    Series,
    Session,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def category(code: str) -> HourCategory:
    return HourCategory.objects.get(code=code)


def session(day: datetime.date, *, title: str = "期货法规与职业道德培训", mode: str = "on_site") -> Session:
    series, _ = Series.objects.get_or_create(year=day.year, kind="training", title_zh=f"{day.year}年会员及从业人员培训")
    return Session.objects.create(
        series=series,
        title=title,
        date=day,
        mode=mode,
        topic_type="new_business",
        state="published",
        published_at=timezone.now(),
        **(
            {"platform": "腾讯会议", "link": "https://meeting.tencent.com/dm/credits"}
            if mode != "on_site"
            else {"address": "上海市浦东新区浦电路500号"}
        ),
    )


def grant(actor, sess: Session, *, law: str = "", professional: str = "", online_mode: str = "threshold"):
    hours = {category("law_ethics").pk: law, category("professional").pk: professional}
    return services.session_hours_set(actor=actor, session=sess, hours=hours, online_mode=online_mode)


def attend_on_site(sess: Session, person) -> Registration:
    registration = Registration.objects.create(
        session=sess,
        person=person,
        registered_by=person,
        organisation=person.organisation,
        state=RegistrationState.CONFIRMED,
    )
    CheckIn.objects.create(registration=registration, checked_in_at=timezone.now(), desk="A")
    return registration


def attend_online(sess: Session, person, *, minutes: int, min_percent: int = 60, scheduled_minutes: int = 210):
    """A confirmed registration and the result in force: present ``minutes`` of the schedule;
    ``attended`` decided by the stamped rule, as the events import does."""
    registration = Registration.objects.create(
        session=sess,
        person=person,
        registered_by=person,
        organisation=person.organisation,
        state=RegistrationState.CONFIRMED,
    )
    result = AttendanceResult.objects.filter(session=sess).select_related("current_import").first()
    if result is None:
        imported = AttendanceImport.objects.create(
            session=sess,
            state="applied",
            original_name="x.csv",
            file_format="csv",
            size=1,
            sha256="0" * 64,
            created_by=person,
            applied_at=timezone.now(),
        )
        result = AttendanceResult.objects.create(
            session=sess,
            min_percent=min_percent,
            rule_source="series",
            scheduled_seconds=scheduled_minutes * 60,
            stamped_at=timezone.now(),
            current_import=imported,
        )
    seconds = minutes * 60
    AttendanceRecord.objects.create(
        attendance_import=result.current_import,
        registration=registration,
        seconds_present=seconds,
        seconds_in_schedule=seconds,
        attended=seconds * 100 >= result.min_percent * result.scheduled_seconds,
    )
    return registration


def evidence(name: str = "证书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def total(person, on: datetime.date) -> Decimal:
    window = services.current_window(person, on=on)
    return services.hours_for(person, window).total
