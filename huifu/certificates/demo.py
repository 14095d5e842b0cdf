"""Demo certificates: the demo practitioner of company A and the demo investor attended the
year's past training sessions (checked in at the desk) and hold attendance certificates.
Safe to run twice (registrations, check-ins and certificates are found again)."""

from __future__ import annotations

from typing import IO

from django.utils import timezone

from huifu.accounts.models import User
from huifu.accounts.system import system_actor
from huifu.events.models import Registration, RegistrationState, SeriesKind, Session, SessionState
from huifu.events.services import checkin_record

from . import services

HOLDERS = ("member-a-contact@demo.huifu.example", "investor@demo.huifu.example")


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:  # noqa: ARG001
    actor = system_actor()
    now = timezone.now()
    sessions = [
        s
        for s in Session.objects.filter(
            series__kind=SeriesKind.TRAINING, state=SessionState.PUBLISHED, date__year=now.year
        ).order_by("date", "pk")
        if s.ends_at < now
    ]
    people = list(User.objects.filter(email__in=HOLDERS, is_active=True).order_by("email"))
    issued = 0
    for index, session in enumerate(sessions):
        for person in people if index == 0 else people[:1]:
            registration = Registration.objects.filter(
                session=session, person=person, state=RegistrationState.CONFIRMED
            ).first()
            if registration is None:
                # A past session: its registration is history, recorded as it stood.
                registration = Registration.objects.create(
                    session=session,
                    person=person,
                    registered_by=person,
                    organisation_id=person.organisation_id,
                    state=RegistrationState.CONFIRMED,
                    decided_at=session.starts_at,
                )
            checkin_record(
                actor=actor, session=session, desk="一号台", registration_id=registration.pk, at=session.starts_at
            )
            issued += services.certificate_issue_attendance(actor=actor, session=session, person=person).created
    if stdout is not None:
        stdout.write(f"certificates: {issued} attendance certificates\n")
