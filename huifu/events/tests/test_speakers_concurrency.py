"""Speaker invitations under concurrency (PostgreSQL threads; one after the other on SQLite):
two reminder runs at once send each reminder once; the same speaker invited twice at once gets
one invitation; an answer through the link, one in Huifu and a withdrawal at once leave exactly
one outcome."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.core.testing.concurrency import race
from huifu.events import services
from huifu.events.models import InvitationState, SpeakerInvitation, SpeakerKind
from huifu.outbox.models import OutboxMessage
from huifu.workdays.engine import CHINA_TZ
from huifu.workdays.services import add_working_days

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def planned(coordinator, org_a, member_a_contact, official_calendar):
    today = timezone.localdate()
    reply_by, day = add_working_days(today, 2).date, add_working_days(today, 15).date
    series = services.series_create(actor=coordinator, year=day.year, kind="monthly_talk", title_zh="并发讲者")
    session = services.session_create(
        actor=coordinator,
        series=series,
        title="并发讲座",
        date=day,
        mode="online",
        platform="腾讯会议",
        topic_type="market_outlook",
        audiences=["analysts"],
    )
    analyst = services.speaker_create(
        actor=coordinator, name="甲分析师", kind=SpeakerKind.MEMBER_ANALYST, organisation=org_a, user=member_a_contact
    )
    return session, analyst, reply_by


def test_two_reminder_runs_at_once_send_once(coordinator, planned):
    session, analyst, reply_by = planned
    invitation = services.speaker_invite(actor=coordinator, session=session, speaker=analyst, reply_by=reply_by)
    remind_on = add_working_days(reply_by, -1).date
    at = datetime.datetime.combine(remind_on, datetime.time(9), tzinfo=CHINA_TZ)
    run = lambda: services.speaker_invitations_remind(actor=system_actor(), now=at)  # noqa: E731
    results = race(run, run, run)
    assert sorted(r["reminded"] for r in results) == [0, 0, 1]
    assert OutboxMessage.objects.filter(to=analyst.email, subject__contains="邀请回复提醒").count() == 1
    invitation.refresh_from_db()
    assert invitation.reminded_at == at


def test_same_speaker_invited_twice_at_once(coordinator, msc_user, planned):
    session, analyst, reply_by = planned
    results = race(
        lambda: services.speaker_invite(actor=coordinator, session=session, speaker=analyst, reply_by=reply_by),
        lambda: services.speaker_invite(actor=msc_user, session=session, speaker=analyst, reply_by=reply_by),
    )
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].error_dict["speaker"][0].code == "already_invited"
    assert SpeakerInvitation.objects.filter(session=session).count() == 1


def test_answers_and_withdrawal_at_once_leave_one_outcome(coordinator, member_a_contact, planned):
    session, analyst, reply_by = planned
    invitation = services.speaker_invite(actor=coordinator, session=session, speaker=analyst, reply_by=reply_by)
    results = race(
        lambda: services.speaker_invitation_answer(actor=member_a_contact, invitation=invitation, accept=True),
        lambda: services.speaker_invitation_answer_by_link(invitation=invitation, accept=False),
        lambda: services.speaker_invitation_withdraw(actor=coordinator, invitation=invitation),
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1, results
    invitation.refresh_from_db()
    assert invitation.state != InvitationState.PENDING
    assert session.speakers.exists() is (invitation.state == InvitationState.ACCEPTED)
    assert AuditEvent.objects.for_object(invitation).filter(action="transition").count() == 1
