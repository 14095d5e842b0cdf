"""Reminders before a session and survey invitations after it: counted on the working-day
calendar (a session right after the National Day holiday is reminded before the holiday), sent
through the outbox, idempotent (a second run, or the command twice, sends nothing twice)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from freezegun import freeze_time

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.core.testing.access import fetch
from huifu.core.testing.factories import UserFactory, org_user
from huifu.events import models as event_models
from huifu.events import services
from huifu.events.models import Mode, ReminderKind, SessionReminder
from huifu.events.services.reminders import reminder_day, reminders_send, series_followup_update
from huifu.outbox.models import OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("official_calendar")]
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
# 2026: National Day holiday 10-01 … 10-07; Thursday 10-08 is the first working day after it.
AFTER_HOLIDAY = datetime.date(2026, 10, 8)
BEFORE = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=SH)


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SH)


def reminder_mails(kind_subject: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(subject__contains=kind_subject).order_by("to"))


@pytest.fixture
def people(db):
    return [UserFactory(email=f"r{i}@example.com", full_name=f"听众{i}") for i in range(3)]


@pytest.fixture
def session_after_holiday(make_session, people, talk_series, coordinator):
    """A published on-site session on 10-08 without a room (an open task); people[0] and [1]
    confirmed, people[2] registered and cancelled."""
    with freeze_time(BEFORE):
        series_followup_update(
            actor=coordinator,
            series=talk_series,
            reminder_working_days=2,
            staff_reminder_working_days=5,
            survey_working_days=2,
        )
        session = make_session(date=AFTER_HOLIDAY, room="", publish=True)
        for person in people:
            services.registration_create(actor=person, session=session)
        cancelled = session.registrations.get(person=people[2])
        services.registration_cancel(actor=people[2], registration=cancelled)
    return session


def test_reminder_day_counts_working_days_across_the_holiday(session_after_holiday):
    # Two working days before 10-08 are 09-29 and 09-30, not 10-06 (a holiday).
    assert reminder_day(session_after_holiday, 2) == datetime.date(2026, 9, 29)
    # Five: 09-30, 09-29, 09-28, then 09-25…27 are the Mid-autumn holiday: 09-24, 09-23.
    assert reminder_day(session_after_holiday, 5) == datetime.date(2026, 9, 23)
    assert reminder_day(session_after_holiday, 0) == AFTER_HOLIDAY


def test_participants_reminded_from_the_right_working_day_once(session_after_holiday, people):
    OutboxMessage.objects.all().delete()
    with freeze_time(at(datetime.date(2026, 9, 28))):
        assert reminders_send(actor=system_actor())["participant"] == 0
    with freeze_time(at(datetime.date(2026, 9, 29))):
        assert reminders_send(actor=system_actor())["participant"] == 2
        assert reminders_send(actor=system_actor())["participant"] == 0  # twice = nothing twice
    with freeze_time(at(datetime.date(2026, 10, 6))):  # a calendar count would remind today
        assert reminders_send(actor=system_actor())["participant"] == 0
    mails = reminder_mails("活动提醒")
    assert [m.to for m in mails] == [people[0].email, people[1].email]  # not the cancelled one
    body = mails[0].body_text
    assert "2026-10-08 13:30" in body and "上海市浦东新区浦电路500号" in body and "铜产业链年度展望" in body
    assert SessionReminder.objects.filter(kind=ReminderKind.PARTICIPANT).count() == 2
    assert AuditEvent.objects.filter(target_type__model="sessionreminder").count() >= 2


def test_a_missed_run_is_caught_up_but_never_after_the_start(session_after_holiday):
    with freeze_time(at(datetime.date(2026, 10, 3))):  # the first run after 09-29 is in the holiday
        assert reminders_send(actor=system_actor())["participant"] == 2
    SessionReminder.objects.all().delete()
    with freeze_time(at(AFTER_HOLIDAY, 14)):  # the session has started
        assert reminders_send(actor=system_actor())["participant"] == 0


def test_staff_reminded_of_open_tasks(
    session_after_holiday, coordinator, msc_user, dept_staff, university, university_user, public_user
):
    session_after_holiday.co_organisers.add(university)
    OutboxMessage.objects.all().delete()
    with freeze_time(at(datetime.date(2026, 9, 22))):
        assert reminders_send(actor=system_actor())["staff"] == 0
    with freeze_time(at(datetime.date(2026, 9, 23))):
        assert reminders_send(actor=system_actor())["staff"] == 3
        assert reminders_send(actor=system_actor())["staff"] == 0
    mails = reminder_mails("待办提醒")
    assert {m.to for m in mails} == {coordinator.email, msc_user.email, university_user.email}
    assert "线下会场尚未设置房间" in mails[0].body_text
    assert SessionReminder.objects.get(kind=ReminderKind.STAFF, recipient=coordinator).tasks == ["room"]


def test_no_staff_reminder_without_open_tasks(make_session, coordinator, msc_user):
    with freeze_time(BEFORE):
        make_session(date=AFTER_HOLIDAY, publish=True)  # room, address, capacity all set
    with freeze_time(at(datetime.date(2026, 9, 30))):
        assert reminders_send(actor=system_actor())["staff"] == 0


def test_online_session_without_link_is_an_open_task(make_session, coordinator):
    with freeze_time(BEFORE):
        make_session(date=AFTER_HOLIDAY, mode=Mode.ONLINE, platform="腾讯会议", room="", address="", publish=True)
    with freeze_time(at(datetime.date(2026, 9, 30))):
        reminders_send(actor=system_actor())
    assert SessionReminder.objects.get(kind=ReminderKind.STAFF, recipient=coordinator).tasks == ["link"]


def test_materials_not_reviewed_is_an_open_task(make_session, coordinator):
    material = getattr(event_models, "Material", None)
    if material is None:
        pytest.skip("materials are not built")
    with freeze_time(BEFORE):
        session = make_session(date=AFTER_HOLIDAY, publish=True)
        material.objects.create(
            session=session,
            kind="recording",
            title="回放",
            audience="public",
            link="https://replay.example/1",
            uploaded_by=coordinator,
        )
    with freeze_time(at(datetime.date(2026, 9, 30))):
        reminders_send(actor=system_actor())
    assert SessionReminder.objects.get(kind=ReminderKind.STAFF, recipient=coordinator).tasks == ["materials"]


def test_survey_invitations_to_attendees_only_once(session_after_holiday, people, dept_staff):
    from huifu.events.tickets import ticket_token

    first = session_after_holiday.registrations.get(person=people[0])
    services.checkin_record(actor=dept_staff, session=session_after_holiday, desk="1", token=ticket_token(first))
    OutboxMessage.objects.all().delete()
    with freeze_time(at(AFTER_HOLIDAY, 16)):  # the session has not ended
        assert reminders_send(actor=system_actor())["survey"] == 0
    with freeze_time(at(AFTER_HOLIDAY, 18)):
        assert reminders_send(actor=system_actor())["survey"] == 1
        assert reminders_send(actor=system_actor())["survey"] == 0
    (mail,) = reminder_mails("满意度调查")
    assert mail.to == people[0].email
    assert "/events/survey/" in mail.body_text
    assert "2026-10-10" in mail.body_text  # 2 working days after 10-08: 10-09 (Fri), 10-10 (调休 Saturday)


def test_command_twice_sends_nothing_twice(session_after_holiday):
    with freeze_time(at(datetime.date(2026, 9, 29))):
        call_command("events_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        count = OutboxMessage.objects.count()
        call_command("events_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutboxMessage.objects.count() == count > 0


def test_in_app_reminder_on_my_registrations(client, session_after_holiday, people):
    with freeze_time(at(datetime.date(2026, 9, 29))):
        reminders_send(actor=system_actor())
        response = fetch(client, people[0], "/events/my/")
    assert "2026-10-08" in response.content.decode()
    assert "提醒" in response.content.decode()


def test_series_followup_update_checks_permission_and_values(talk_series, coordinator, member_a_admin):
    with pytest.raises(PermissionDenied):
        series_followup_update(
            actor=member_a_admin,
            series=talk_series,
            reminder_working_days=1,
            staff_reminder_working_days=1,
            survey_working_days=1,
        )
    with pytest.raises(ValidationError) as exc:
        series_followup_update(
            actor=coordinator,
            series=talk_series,
            reminder_working_days=99,
            staff_reminder_working_days=1,
            survey_working_days=0,
        )
    assert set(exc.value.message_dict) == {"reminder_working_days", "survey_working_days"}
    talk_series.refresh_from_db()
    assert talk_series.reminder_working_days == 2  # nothing half-saved


def test_series_followup_page(client, talk_series, coordinator, member_a_admin, dept_staff):
    url = f"/events/series/{talk_series.pk}/followup/"
    assert fetch(client, member_a_admin, url).status_code == 403
    assert fetch(client, dept_staff, url).status_code == 403
    response = fetch(
        client,
        coordinator,
        url,
        "post",
        {
            "reminder_working_days": "3",
            "staff_reminder_working_days": "6",
            "survey_working_days": "5",
            "speaker_reminder_working_days": "4",
        },
    )
    assert response.status_code == 302
    talk_series.refresh_from_db()
    assert (
        talk_series.reminder_working_days,
        talk_series.survey_working_days,
        talk_series.speaker_reminder_working_days,
    ) == (3, 5, 4)
    for bad in ({"reminder_working_days": "x"}, {"speaker_reminder_working_days": "21"}):
        data = {
            "reminder_working_days": "3",
            "staff_reminder_working_days": "6",
            "survey_working_days": "5",
            "speaker_reminder_working_days": "2",
            **bad,
        }
        response = fetch(client, coordinator, url, "post", data)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    talk_series.refresh_from_db()
    assert talk_series.speaker_reminder_working_days == 4  # nothing half-saved


def test_series_followup_update_keeps_the_speaker_lead_when_left_out(talk_series, coordinator):
    talk_series.speaker_reminder_working_days = 3
    talk_series.save(update_fields=["speaker_reminder_working_days"])
    series_followup_update(
        actor=coordinator,
        series=talk_series,
        reminder_working_days=1,
        staff_reminder_working_days=1,
        survey_working_days=1,
    )
    talk_series.refresh_from_db()
    assert talk_series.speaker_reminder_working_days == 3
    with pytest.raises(ValidationError) as exc:
        series_followup_update(
            actor=coordinator,
            series=talk_series,
            reminder_working_days=1,
            staff_reminder_working_days=1,
            survey_working_days=1,
            speaker_reminder_working_days=-1,
        )
    assert set(exc.value.message_dict) == {"speaker_reminder_working_days"}


def test_reminders_to_member_colleague_go_to_the_person(make_session, member_a_admin):
    colleague = org_user(member_a_admin.organisation, email="colleague@alpha.example")
    with freeze_time(BEFORE):
        session = make_session(date=AFTER_HOLIDAY, publish=True)
        services.registration_create(actor=member_a_admin, session=session, person=colleague)
    with freeze_time(at(datetime.date(2026, 9, 30))):
        reminders_send(actor=system_actor())
    assert [m.to for m in reminder_mails("活动提醒")] == ["colleague@alpha.example"]
