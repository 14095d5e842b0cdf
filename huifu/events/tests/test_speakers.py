"""The speaker pool and invitations (services): profiles of the three kinds, invitations with a
working-day reply date, answers once, the signed link, reminders around a holiday that are sent
once however often the command runs, expiry, and ``speaker_talks``."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import get_resolver
from freezegun import freeze_time

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditEvent
from huifu.core.testing.factories import OrganisationFactory, UserFactory, org_user
from huifu.directory.models import OrganisationKind
from huifu.events import services
from huifu.events.invitation_links import InvitationLinkInvalid, invitation_from_token, invitation_token
from huifu.events.models import InvitationState, Speaker, SpeakerInvitation, SpeakerKind
from huifu.events.selectors_speakers import speaker_talks
from huifu.outbox.models import OutboxMessage
from huifu.workdays.services import is_working_day

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
I = InvitationState  # noqa: E741
# 2026: an ordinary Monday; sessions later that month.
MONDAY = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SH)
SESSION_DAY = datetime.date(2026, 3, 19)


@pytest.fixture(autouse=True)
def _urlconf_loaded_before_the_clock_is_frozen():
    """Load the URLconf (and with it DRF's throttling, whose ``timer = time.time`` is read at
    import) before a test freezes the clock: imported under freezegun, DRF would keep the fake
    clock for the rest of the run and every later API request would fail."""
    get_resolver().url_patterns  # noqa: B018


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SH)


@pytest.fixture
def expert(coordinator):
    return services.speaker_create(
        actor=coordinator,
        name="周专家",
        title="首席研究员",
        organisation_name="有色金属研究院",
        contact_email="zhou@expert.example",
    )


@pytest.fixture
def analyst_a(coordinator, org_a, member_a_contact):
    return services.speaker_create(
        actor=coordinator,
        name="甲分析师",
        kind=SpeakerKind.MEMBER_ANALYST,
        organisation=org_a,
        user=member_a_contact,
        title="铜研究员",
    )


@pytest.fixture
def session(make_session):
    with freeze_time(MONDAY):
        return make_session(date=SESSION_DAY, publish=True)


def invite(actor, session, speaker, reply_by=datetime.date(2026, 3, 10), **kwargs):
    return services.speaker_invite(actor=actor, session=session, speaker=speaker, reply_by=reply_by, **kwargs)


# --- the pool ------------------------------------------------------------------------------------


def test_a_speaker_created_the_old_way_is_a_valid_expert(coordinator):
    speaker = services.speaker_create(actor=coordinator, name="老嘉宾", title="教授", organisation_name="某大学")
    speaker.full_clean()
    assert speaker.kind == SpeakerKind.EXPERT and speaker.organisation is None and speaker.affiliation == "某大学"


def test_member_analyst_is_linked_to_company_and_account(analyst_a, org_a, member_a_contact):
    assert analyst_a.organisation == org_a and analyst_a.user == member_a_contact
    assert analyst_a.affiliation == org_a.name_zh
    assert analyst_a.email == member_a_contact.email  # no own address: the account's


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": SpeakerKind.MEMBER_ANALYST}, "organisation"),
        ({"kind": "astronaut"}, "kind"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"name": "  "}, "name"),
        ({"bio": "长" * 2001}, "bio"),
    ],
)
def test_pool_bad_input_names_the_field(coordinator, kwargs, field):
    data = {"name": "某人", **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.speaker_create(actor=coordinator, **data)
    assert field in exc.value.message_dict
    assert not Speaker.objects.exists()


def test_pool_links_checked(coordinator, org_a, org_b, member_b_contact, msc_user, university, public_user):
    cases = [
        ({"kind": SpeakerKind.MEMBER_ANALYST, "organisation": university}, "organisation"),  # not a member
        ({"kind": SpeakerKind.EXPERT, "organisation": org_a}, "organisation"),  # only analysts link
        ({"kind": SpeakerKind.MEMBER_ANALYST, "organisation": org_a, "user": member_b_contact}, "user"),
        ({"kind": SpeakerKind.LECTURER, "user": public_user}, "user"),  # lecturers are staff
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.speaker_create(actor=coordinator, name="某人", **kwargs)
        assert field in exc.value.message_dict, kwargs
    lecturer = services.speaker_create(actor=coordinator, name="钱讲师", kind=SpeakerKind.LECTURER, user=msc_user)
    with pytest.raises(ValidationError) as exc:  # one account, one speaker
        services.speaker_create(actor=coordinator, name="又一个", kind=SpeakerKind.LECTURER, user=msc_user)
    assert "user" in exc.value.message_dict
    assert list(Speaker.objects.all()) == [lecturer]


def test_speaker_update_audited_and_denied_to_others(coordinator, dept_staff, expert, member_a_admin):
    services.speaker_update(actor=coordinator, speaker=expert, title="院长", bio="二十年铜市研究。")
    expert.refresh_from_db()
    assert expert.title == "院长"
    event = AuditEvent.objects.for_object(expert).filter(action="update").latest("pk")
    assert event.changes["title"] == ["首席研究员", "院长"]
    for user in (dept_staff, member_a_admin):
        with pytest.raises(PermissionDenied):
            services.speaker_update(actor=user, speaker=expert, title="改")
        with pytest.raises(PermissionDenied):
            services.speaker_create(actor=user, name="某人")
    expert.refresh_from_db()
    assert expert.title == "院长"


# --- invitations ---------------------------------------------------------------------------------


def test_invite_sends_a_signed_link(coordinator, session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert, message="请讲铜的供需。")
    assert invitation.state == I.PENDING
    assert invitation.reply_by == datetime.datetime(2026, 3, 10, 23, 59, 59, 999999, tzinfo=SH)
    mail = OutboxMessage.objects.get(to="zhou@expert.example")
    assert "讲座邀请" in mail.subject and invitation_token(invitation) in mail.body_text
    assert "请讲铜的供需。" in mail.body_text and "2026-03-10" in mail.body_text
    assert AuditEvent.objects.for_object(invitation).filter(action="create").exists()


def test_invite_bad_input(coordinator, session, expert, analyst_a, make_session):
    with freeze_time(MONDAY):
        cases = [
            (datetime.date(2026, 3, 1), "deadline_in_past"),
            (datetime.date(2026, 3, 7), "deadline_not_working_day"),  # a Saturday
            (datetime.date(2026, 3, 19), "deadline_after_session"),
            ("2026-03-10", "invalid"),
        ]
        for reply_by, code in cases:
            with pytest.raises(ValidationError) as exc:
                invite(coordinator, session, expert, reply_by=reply_by)
            assert exc.value.error_dict["reply_by"][0].code == code, reply_by
        with pytest.raises(ValidationError) as exc:
            invite(coordinator, session, expert, reply_by=datetime.date(2026, 3, 7))
        assert "2026-03-09" in str(exc.value)  # names the next working day
        invite(coordinator, session, expert)
        with pytest.raises(ValidationError) as exc:
            invite(coordinator, session, expert)
        assert exc.value.error_dict["speaker"][0].code == "already_invited"
        no_mail = services.speaker_create(actor=coordinator, name="无邮箱")
        with pytest.raises(ValidationError) as exc:
            invite(coordinator, session, no_mail)
        assert exc.value.error_dict["speaker"][0].code == "no_email"
        on_stage = make_session(date=SESSION_DAY, speakers=[analyst_a], publish=True)
        with pytest.raises(ValidationError) as exc:
            invite(coordinator, on_stage, analyst_a)
        assert exc.value.error_dict["speaker"][0].code == "already_speaker"
        services.session_cancel(actor=coordinator, session=on_stage, reason="场地")
        with pytest.raises(ValidationError) as exc:
            invite(coordinator, on_stage, expert)
        assert exc.value.code == "session_closed"
    assert SpeakerInvitation.objects.count() == 1
    assert OutboxMessage.objects.filter(subject__contains="讲座邀请").count() == 1


def test_invite_permissions(
    coordinator, msc_user, dept_staff, university_user, other_university_user, member_a_admin, training_session, expert
):
    with freeze_time(MONDAY):
        for user in (dept_staff, other_university_user, member_a_admin):
            with pytest.raises(PermissionDenied):
                invite(user, training_session, expert)
        assert not SpeakerInvitation.objects.exists()
        invite(university_user, training_session, expert)  # the session's co-organiser


def test_co_organiser_cannot_invite_another_companys_analyst(
    coordinator, training_series, org_b, member_b_contact, university
):
    with freeze_time(MONDAY):
        member_session = services.session_create(
            actor=coordinator,
            series=training_series,
            co_organisers=[org_b],
            title="会员讲堂",
            date=SESSION_DAY,
            mode="on_site",
            address="上海",
            capacity=30,
            topic_type="industry_research",
            audiences=["members_practitioners"],
        )
        other = OrganisationFactory(name_zh="丙期货", kind=OrganisationKind.FUTURES_COMPANY)
        foreign = services.speaker_create(
            actor=coordinator,
            name="丙分析师",
            kind=SpeakerKind.MEMBER_ANALYST,
            organisation=other,
            contact_email="c@gamma.example",
        )
        with pytest.raises(ValidationError) as exc:
            invite(member_b_contact, member_session, foreign)
        assert exc.value.error_dict["speaker"][0].code == "invalid_choice"
        own = services.speaker_create(
            actor=coordinator,
            name="乙分析师",
            kind=SpeakerKind.MEMBER_ANALYST,
            organisation=org_b,
            user=member_b_contact,
        )
        assert invite(member_b_contact, member_session, own).state == I.PENDING


def test_accept_adds_the_speaker_once(coordinator, session, analyst_a, member_a_contact, member_a_admin):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, analyst_a)
        with pytest.raises(PermissionDenied):  # a colleague sees it but does not answer
            services.speaker_invitation_answer(actor=member_a_admin, invitation=invitation, accept=True)
        services.speaker_invitation_answer(actor=member_a_contact, invitation=invitation, accept=True, note="乐意参加")
        with pytest.raises(ValidationError) as exc:
            services.speaker_invitation_answer(actor=member_a_contact, invitation=invitation, accept=False)
        assert exc.value.code == "already_answered"
    invitation.refresh_from_db()
    assert invitation.state == I.ACCEPTED and invitation.reply_note == "乐意参加"
    assert invitation.replied_by == member_a_contact and invitation.replied_at is not None
    assert list(session.speakers.all()) == [analyst_a]
    assert OutboxMessage.objects.filter(to=coordinator.email, body_text__contains="已接受").exists()


def test_decline_leaves_the_session_and_allows_a_new_invitation(coordinator, session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert)
        services.speaker_invitation_answer_by_link(invitation=invitation, accept=False, note="出差")
        again = invite(coordinator, session, expert, reply_by=datetime.date(2026, 3, 12))
    invitation.refresh_from_db()
    assert invitation.state == I.DECLINED and invitation.replied_by is None
    assert not session.speakers.exists() and again.state == I.PENDING


def test_answer_after_the_reply_date_is_refused(coordinator, session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert)
    with freeze_time(datetime.datetime(2026, 3, 11, 0, 0, 1, tzinfo=SH)), pytest.raises(ValidationError) as exc:
        services.speaker_invitation_answer_by_link(invitation=invitation, accept=True)
    assert exc.value.code == "invitation_expired" and "2026-03-10" in exc.value.messages[0]
    invitation.refresh_from_db()
    assert invitation.state == I.PENDING and not session.speakers.exists()


def test_withdraw(coordinator, university_user, other_university_user, training_session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, training_session, expert)
        with pytest.raises(PermissionDenied):
            services.speaker_invitation_withdraw(actor=other_university_user, invitation=invitation)
        services.speaker_invitation_withdraw(actor=university_user, invitation=invitation, reason="主题调整")
        with pytest.raises(ValidationError) as exc:
            services.speaker_invitation_answer_by_link(invitation=invitation, accept=True)
        assert exc.value.code == "already_answered"
        with pytest.raises(ValidationError):
            services.speaker_invitation_withdraw(actor=coordinator, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.state == I.WITHDRAWN and invitation.closed_at is not None
    assert OutboxMessage.objects.filter(to=expert.email, subject__contains="撤回").exists()


# --- the signed link -----------------------------------------------------------------------------


def test_link_token_round_trip_and_forgeries(coordinator, session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert)
    token = invitation_token(invitation)
    assert invitation_from_token(token) == invitation
    forged = signing.Signer(salt="another.purpose").sign(f"I{invitation.pk}.{invitation.nonce}")
    other_pk = signing.Signer(salt="huifu.events.speaker_invitation").sign(f"I{invitation.pk + 1}.{invitation.nonce}")
    wrong_nonce = signing.Signer(salt="huifu.events.speaker_invitation").sign(f"I{invitation.pk}.guessed")
    for bad in ("", "garbage", token[:-2] + "xx", token.replace(f"I{invitation.pk}.", "I9999."), forged, other_pk):
        with pytest.raises(InvitationLinkInvalid):
            invitation_from_token(bad)
    with pytest.raises(InvitationLinkInvalid):
        invitation_from_token(wrong_nonce)


# --- reminders, across the National Day holiday --------------------------------------------------


def run_daily(days, times=2):
    """Run the command ``times`` per day at 09:00 and 18:00 on each day."""
    for day in days:
        for hour in (9, 18)[:times]:
            with freeze_time(at(day, hour)):
                call_command("events_speaker_reminders", stdout=io.StringIO())


def test_reminders_skip_the_holiday_and_are_sent_once(coordinator, make_session, expert, official_calendar):
    """Invited on Friday 09-25, reply by Thursday 10-08 (the first working day after the
    National Day holiday, 10-01..10-07): one reminder on 09-30 (the last working day before the
    reply date, not 10-07), one on 10-08, expired on 10-09; nothing twice though the command
    runs twice a day, and nothing on holidays or weekends."""
    assert not any(is_working_day(datetime.date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(datetime.date(2026, 9, 30)) and is_working_day(datetime.date(2026, 10, 8))
    with freeze_time(at(datetime.date(2026, 9, 25))):
        session = make_session(date=datetime.date(2026, 10, 20), publish=True)
        invitation = invite(coordinator, session, expert, reply_by=datetime.date(2026, 10, 8))
    sent: dict[datetime.date, list[str]] = {}
    day = datetime.date(2026, 9, 25)
    while day <= datetime.date(2026, 10, 12):
        before = set(OutboxMessage.objects.values_list("pk", flat=True))
        run_daily([day])
        new = OutboxMessage.objects.exclude(pk__in=before).order_by("pk")
        if new:
            sent[day] = [m.subject for m in new]
        day += datetime.timedelta(days=1)
    assert list(sent) == [datetime.date(2026, 9, 30), datetime.date(2026, 10, 8), datetime.date(2026, 10, 9)]
    assert ["邀请回复提醒" in s for s in sent[datetime.date(2026, 9, 30)]] == [True]
    assert ["今日截止回复" in s for s in sent[datetime.date(2026, 10, 8)]] == [True]
    assert sent[datetime.date(2026, 10, 9)] == [OutboxMessage.objects.filter(to=coordinator.email).get().subject]
    invitation.refresh_from_db()
    assert invitation.state == I.EXPIRED and invitation.closed_at is not None
    assert invitation.reminded_at == at(datetime.date(2026, 9, 30), 9)
    assert invitation.deadline_reminded_at == at(datetime.date(2026, 10, 8), 9)
    assert AuditEvent.objects.for_object(invitation).filter(action="transition").count() == 1


@pytest.mark.parametrize(
    ("lead", "first_reminder"),
    [
        # Reply by Tuesday 03-10: three working days before is Thursday 03-05 (over a weekend).
        (3, datetime.date(2026, 3, 5)),
        (1, datetime.date(2026, 3, 9)),
        (0, None),  # only on the reply date
    ],
)
def test_the_speaker_reminder_lead_is_the_series_data(coordinator, session, expert, lead, first_reminder):
    series = session.series
    series.speaker_reminder_working_days = lead
    series.save(update_fields=["speaker_reminder_working_days"])
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert, reply_by=datetime.date(2026, 3, 10))
    subjects: dict[datetime.date, list[str]] = {}
    day = datetime.date(2026, 3, 3)
    while day <= datetime.date(2026, 3, 10):
        before = set(OutboxMessage.objects.values_list("pk", flat=True))
        run_daily([day])
        new = OutboxMessage.objects.exclude(pk__in=before).filter(to=expert.email)
        if new:
            subjects[day] = [m.subject for m in new]
        day += datetime.timedelta(days=1)
    early = [d for d, s in subjects.items() if any("邀请回复提醒" in x for x in s)]
    assert early == ([first_reminder] if first_reminder else [])
    assert any("今日截止回复" in x for x in subjects[datetime.date(2026, 3, 10)])
    invitation.refresh_from_db()
    assert (invitation.reminded_at is None) == (first_reminder is None)


def test_no_early_reminder_when_invited_the_day_before(coordinator, session, expert):
    with freeze_time(at(datetime.date(2026, 3, 9))):
        invitation = invite(coordinator, session, expert, reply_by=datetime.date(2026, 3, 10))
    run_daily([datetime.date(2026, 3, 9), datetime.date(2026, 3, 10)])
    invitation.refresh_from_db()
    assert invitation.reminded_at is None and invitation.deadline_reminded_at is not None
    assert OutboxMessage.objects.filter(to=expert.email).count() == 2  # the invitation, the deadline reminder


def test_no_reminder_before_office_hours(coordinator, session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert)
    remind_day = datetime.date(2026, 3, 9)  # the working day before the reply date
    with freeze_time(at(remind_day, 7)):
        assert services.speaker_invitations_remind(actor=system_actor())["reminded"] == 0
    with freeze_time(at(remind_day, 8)):
        assert services.speaker_invitations_remind(actor=system_actor())["reminded"] == 1
    invitation.refresh_from_db()
    assert invitation.reminded_at == at(remind_day, 8)


def test_answered_invitations_get_no_reminder(coordinator, session, expert):
    with freeze_time(MONDAY):
        invitation = invite(coordinator, session, expert)
        services.speaker_invitation_answer_by_link(invitation=invitation, accept=True)
    run_daily([datetime.date(2026, 3, 9), datetime.date(2026, 3, 10), datetime.date(2026, 3, 11)])
    invitation.refresh_from_db()
    assert invitation.state == I.ACCEPTED and invitation.reminded_at is None
    assert OutboxMessage.objects.filter(to=expert.email).count() == 1


def test_reminder_service_needs_a_manager(dept_staff):
    with pytest.raises(PermissionDenied):
        services.speaker_invitations_remind(actor=dept_staff)
    assert services.speaker_invitations_remind(actor=system_actor()) == {
        "reminded": 0,
        "deadline_reminded": 0,
        "expired": 0,
    }


# --- speaker_talks -------------------------------------------------------------------------------


def test_speaker_talks_with_series_and_attendance(coordinator, make_session, talk_series, analyst_a):
    with freeze_time(MONDAY):
        first = make_session(title="第一讲", date=SESSION_DAY, speakers=[analyst_a], publish=True)
        make_session(title="草稿", date=datetime.date(2026, 4, 16), speakers=[analyst_a])
        make_session(title="别人的", date=SESSION_DAY, publish=True)
        people = [UserFactory(email=f"t{i}@example.com") for i in range(3)]
        regs = [services.registration_create(actor=p, session=first) for p in people]
        services.registration_cancel(actor=people[2], registration=regs[2])
    with freeze_time(at(SESSION_DAY, 13)):
        services.checkin_record(actor=coordinator, session=first, desk="1号台", token="", registration_id=regs[0].pk)
    talks = list(speaker_talks(analyst_a))
    assert [t.title for t in talks] == ["草稿", "第一讲"]
    assert talks[1].series == talk_series
    assert (talks[1].registered_count, talks[1].checked_in_count) == (2, 1)
    assert (talks[0].registered_count, talks[0].checked_in_count) == (0, 0)
    assert [t.title for t in speaker_talks(analyst_a, published_only=True)] == ["第一讲"]


def test_analyst_of_another_company_is_a_separate_pool_entry(coordinator, org_b):
    beta_user = org_user(org_b, email="ana@beta.example")
    speaker = services.speaker_create(
        actor=coordinator, name="乙分析师", kind=SpeakerKind.MEMBER_ANALYST, organisation=org_b, user=beta_user
    )
    assert speaker.email == "ana@beta.example"
