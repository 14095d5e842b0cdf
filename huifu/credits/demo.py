"""Demo data: credit hours granted on this year's investor-education sessions (the training
series 期货市场合规与风险管理 grants law-and-ethics hours, the monthly talks professional hours,
online talks pro rata), the demo member A contact's attendance at past sessions (checked in on
site), and two hours claims from other providers (one approved, one waiting for the admin).
Idempotent: does nothing once any session grants hours."""

from __future__ import annotations

import datetime
from typing import IO

from django.core.files.base import ContentFile
from django.utils import timezone

from huifu.accounts.models import User
from huifu.accounts.system import system_actor
from huifu.core import pdf
from huifu.events.models import CheckIn, Mode, Registration, RegistrationState, SeriesKind, Session, SessionState

from . import services
from .models import HourCategory, OnlineMode, SessionCredit

DEMO_PRACTITIONER = "member-a-contact@demo.huifu.example"
DEMO_ADMIN = "member-a-admin@demo.huifu.example"


def _certificate(title: str) -> ContentFile:
    content = pdf.build([pdf.para("培训证书", "title"), pdf.para(title)], title="培训证书")
    return ContentFile(content, name="培训证书.pdf")


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    if SessionCredit.objects.exists():
        return
    actor = system_actor()
    law = HourCategory.objects.get(code="law_ethics")
    professional = HourCategory.objects.get(code="professional")
    year = timezone.localdate().year
    sessions = list(Session.objects.filter(date__year=year).select_related("series").order_by("date"))
    for session in sessions:
        if session.series.kind == SeriesKind.TRAINING:
            hours = {law.pk: "3", professional.pk: "0.5"}
        else:
            hours = {professional.pk: "3"}
        mode = OnlineMode.PRO_RATA if session.mode == Mode.ONLINE else OnlineMode.THRESHOLD
        services.session_hours_set(actor=actor, session=session, hours=hours, online_mode=mode)
    person = User.objects.filter(email=DEMO_PRACTITIONER, is_active=True).first()
    admin = User.objects.filter(email=DEMO_ADMIN, is_active=True).first()
    if person is None:
        return
    today = timezone.localdate()
    attended = 0
    for session in sessions:
        if session.date >= today or session.state != SessionState.PUBLISHED or session.mode == Mode.ONLINE:
            continue
        if attended >= 3:
            break
        registration, _ = Registration.objects.get_or_create(
            session=session,
            person=person,
            state=RegistrationState.CONFIRMED,
            defaults={"registered_by": person, "organisation": person.organisation},
        )
        CheckIn.objects.get_or_create(
            registration=registration,
            defaults={"checked_in_at": session.starts_at + datetime.timedelta(minutes=-10), "desk": "demo"},
        )
        attended += 1
    first = services.claim_submit(
        actor=person,
        provider="中国期货业协会",
        course_title="期货从业人员职业道德与执业行为准则（网络培训）",
        completed_on=today - datetime.timedelta(days=40),
        category=law,
        hours="2",
        evidence=_certificate("期货从业人员职业道德与执业行为准则"),
        certificate_no=f"CFA-{year}-018265",
    )
    if admin is not None:
        services.claim_decide(actor=admin, claim=first, approve=True)
    services.claim_submit(
        actor=person,
        provider="上海财经大学继续教育学院",
        course_title="衍生品定价与风险管理研修班",
        completed_on=today - datetime.timedelta(days=10),
        category=professional,
        hours="6",
        evidence=_certificate("衍生品定价与风险管理研修班"),
    )
    if stdout is not None:
        stdout.write(f"credits: hours on {len(sessions)} sessions, {attended} attended, 2 claims\n")
