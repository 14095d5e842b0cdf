"""Two reminder runs at once send each reminder once (unique row written with the mail); two
answers to the same survey at once record one (registration row locked). On PostgreSQL the calls
run in parallel threads with their own connections; on SQLite one after the other."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from freezegun import freeze_time

from huifu.accounts.system import system_actor
from huifu.core.testing.concurrency import race
from huifu.core.testing.factories import UserFactory
from huifu.events import services
from huifu.events.models import ReminderKind, SessionReminder, SurveyResponse
from huifu.events.services.reminders import reminders_send
from huifu.events.services.surveys import QUESTION_KEYS, SurveyError, survey_answer_submit
from huifu.events.tickets import ticket_token
from huifu.outbox.models import OutboxMessage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("official_calendar"),
]
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 10, 8)  # the first working day after the National Day holiday


def test_two_reminder_runs_at_once_send_each_reminder_once(make_session):
    people = [UserFactory(email=f"twice{i}@example.com") for i in range(6)]
    with freeze_time(datetime.datetime(2026, 9, 1, 10, 0, tzinfo=SH)):
        session = make_session(date=DAY, room="", publish=True)
        for person in people:
            services.registration_create(actor=person, session=session)
    with freeze_time(datetime.datetime(2026, 9, 30, 9, 0, tzinfo=SH)):
        results = race(
            lambda: reminders_send(actor=system_actor()),
            lambda: reminders_send(actor=system_actor()),
            expected=Exception,
        )
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r[ReminderKind.PARTICIPANT] for r in results) == 6
    assert SessionReminder.objects.filter(kind=ReminderKind.PARTICIPANT).count() == 6
    mails = OutboxMessage.objects.filter(subject__contains="活动提醒")
    assert sorted(mails.values_list("to", flat=True)) == sorted(p.email for p in people)


def test_two_answers_at_once_record_one(make_session, dept_staff):
    person = UserFactory(email="rater@example.com")
    with freeze_time(datetime.datetime(2026, 9, 1, 10, 0, tzinfo=SH)):
        session = make_session(date=DAY, publish=True)
        registration = services.registration_create(actor=person, session=session)
    services.checkin_record(actor=dept_staff, session=session, desk="1", token=ticket_token(registration))
    ratings = dict.fromkeys(QUESTION_KEYS, 4)
    with freeze_time(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=SH)):
        results = race(
            *[lambda: survey_answer_submit(actor=person, registration=registration, ratings=ratings) for _ in range(3)]
        )
    assert sum(isinstance(r, SurveyResponse) for r in results) == 1
    assert all(r.code == "already_answered" for r in results if isinstance(r, SurveyError))
    assert SurveyResponse.objects.count() == 1
