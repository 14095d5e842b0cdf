"""Speaker invitations and survey invitations reach the notification centre like every other
event, in the change's transaction, and respect the person's e-mail preference."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from freezegun import freeze_time

from huifu.accounts.system import system_actor
from huifu.events import services
from huifu.events.services.reminders import reminders_send, series_followup_update
from huifu.events.tickets import ticket_token
from huifu.notifications.models import Notification
from huifu.notifications.services import preferences_save
from huifu.outbox.models import OutboxMessage

from .test_followup_reminders import AFTER_HOLIDAY, BEFORE, at
from .test_speakers import MONDAY, SESSION_DAY, analyst_a, invite, session  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]


def test_invitation_notifies_the_speaker_and_the_answer_the_inviter(coordinator, session, analyst_a, member_a_contact):  # noqa: F811
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, analyst_a)
    note = Notification.objects.get(recipient=member_a_contact)
    assert note.kind == "registration" and note.params["title"] == session.title
    assert note.params["deadline"] == "2026-03-10" and note.url.endswith("/invitations/")
    assert OutboxMessage.objects.filter(subject__contains="讲座邀请").exists()
    with freeze_time(MONDAY + datetime.timedelta(days=1)):
        services.speaker_invitation_answer(actor=member_a_contact, invitation=invitation, accept=True)
    answered = Notification.objects.get(recipient=coordinator)
    assert answered.kind == "decision" and answered.params["speaker"] == analyst_a.name


def test_speaker_who_turned_mail_off_gets_only_the_notification(coordinator, session, analyst_a, member_a_contact):  # noqa: F811
    preferences_save(user=member_a_contact, choices={"registration": {"email": False}})
    with freeze_time(MONDAY):
        invite(coordinator, session, analyst_a)
    assert Notification.objects.filter(recipient=member_a_contact).count() == 1
    assert not OutboxMessage.objects.filter(to=member_a_contact.email).exists()


def test_a_rolled_back_invitation_tells_nobody(coordinator, session, analyst_a, member_a_contact):  # noqa: F811
    with freeze_time(MONDAY), pytest.raises(RuntimeError), transaction.atomic():
        invite(coordinator, session, analyst_a)
        raise RuntimeError
    assert not Notification.objects.filter(recipient=member_a_contact).exists()
    assert not OutboxMessage.objects.exists()


def test_withdrawn_invitation_is_notified(coordinator, session, analyst_a, member_a_contact):  # noqa: F811
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, analyst_a)
        services.speaker_invitation_withdraw(actor=coordinator, invitation=invitation)
    assert Notification.objects.filter(recipient=member_a_contact).count() == 2


def test_survey_invitation_is_notified_and_respects_preferences(make_session, talk_series, coordinator, dept_staff):
    from huifu.core.testing.factories import UserFactory

    wants, silent = UserFactory(email="s1@example.com"), UserFactory(email="s2@example.com")
    preferences_save(user=silent, choices={"registration": {"email": False}})
    with freeze_time(BEFORE):
        series_followup_update(
            actor=coordinator,
            series=talk_series,
            reminder_working_days=2,
            staff_reminder_working_days=5,
            survey_working_days=2,
        )
        session = make_session(date=AFTER_HOLIDAY, publish=True)
        regs = [services.registration_create(actor=p, session=session) for p in (wants, silent)]
    for reg in regs:
        services.checkin_record(actor=dept_staff, session=session, desk="1", token=ticket_token(reg))
    OutboxMessage.objects.all().delete()
    Notification.objects.all().delete()
    with freeze_time(at(AFTER_HOLIDAY, 18)):
        assert reminders_send(actor=system_actor())["survey"] == 2
    for person in (wants, silent):
        note = Notification.objects.get(recipient=person, message__contains="rate the session")
        assert note.url == "/events/surveys/" and note.params["closes"] == "2026-10-10"
    assert list(OutboxMessage.objects.filter(subject__contains="满意度调查").values_list("to", flat=True)) == [
        wants.email
    ]
