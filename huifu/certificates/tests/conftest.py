"""Certificate fixtures: a training programme with an on-site and an online session, people who
attended (checked in at the desk; present online by the imported attendance) and one who did
not, all through the events app's real services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from huifu.accounts.models import OrgRole, UserKind
from huifu.core.testing.factories import UserFactory, org_user
from huifu.events import services as events
from huifu.events.services import attendance as att
from huifu.events.tests.attendance_helpers import after, at, csv_upload
from huifu.events.tests.conftest import session_data


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture
def programme(coordinator):
    day = _day(30)
    return events.series_create(
        actor=coordinator, year=day.year, kind="training", title_zh="2026年期货从业人员合规培训"
    )


@pytest.fixture
def co_organiser(university):
    return university


@pytest.fixture
def university(db):
    from huifu.core.testing.factories import OrganisationFactory
    from huifu.directory.models import OrganisationKind

    return OrganisationFactory(name_zh="上海财经大学", kind=OrganisationKind.UNIVERSITY, short_name="上财")


@pytest.fixture
def university_user(university):
    return org_user(university, email="teacher@sufe.example", full_name="上财老师")


@pytest.fixture
def onsite_session(coordinator, programme, university):
    session = events.session_create(
        actor=coordinator,
        series=programme,
        co_organisers=[university],
        **session_data(title="期货法律法规与职业道德", date=_day(30), audiences=["members_practitioners"]),
    )
    return events.session_publish(actor=coordinator, session=session)


@pytest.fixture
def online_session(coordinator, programme):
    session = events.session_create(
        actor=coordinator,
        series=programme,
        **session_data(
            title="期权交易实务",
            date=_day(31),
            mode="online",
            platform="腾讯会议",
            link="https://meeting.tencent.com/dm/abc",
            room="",
            address="",
            capacity=None,
            audiences=["members_practitioners"],
        ),
    )
    return events.session_publish(actor=coordinator, session=session)


@pytest.fixture
def practitioner(org_a):
    """A member company A practitioner."""
    return org_user(org_a, OrgRole.CONTACT, email="zhang@alpha.example", full_name="张三明", phone="13800000001")


@pytest.fixture
def practitioner_b(org_b):
    return org_user(org_b, OrgRole.CONTACT, email="li@beta.example", full_name="李四", phone="13800000002")


@pytest.fixture
def investor(db):
    """A public participant (no company)."""
    return UserFactory(kind=UserKind.PUBLIC, email="wang@example.com", full_name="王小五", phone="13800000003")


@pytest.fixture
def absentee(org_a):
    return org_user(org_a, OrgRole.CONTACT, email="zhao@alpha.example", full_name="赵六", phone="13800000004")


def register(session, *people):
    return [events.registration_create(actor=person, session=session) for person in people]


def check_in(actor, session, registration):
    return events.checkin_record(actor=actor, session=session, desk="一号台", registration_id=registration.pk)


def import_online(actor, session, lines):
    with freeze_time(after(session)):
        draft = att.attendance_upload(actor=actor, session=session, upload=csv_upload(lines))
        preview = att.attendance_analyse(draft=draft)
        assert preview.analysis is not None, preview.columns.problems
        return att.attendance_confirm(
            actor=actor, draft=draft, fingerprint=preview.analysis.fingerprint(), accept_problems=True
        )


@pytest.fixture
def attended(msc_user, onsite_session, online_session, practitioner, practitioner_b, investor, absentee):
    """practitioner: both sessions (desk, 3 h online); practitioner_b and investor: on site only;
    absentee: registered for both, never came (online only 10 minutes)."""
    regs = dict(zip(["p", "b", "i", "x"], register(onsite_session, practitioner, practitioner_b, investor, absentee)))
    for key in ("p", "b", "i"):
        check_in(msc_user, onsite_session, regs[key])
    register(online_session, practitioner, absentee)
    s = online_session
    import_online(
        msc_user,
        s,
        [
            ["张三明", "13800000001", "", at(s, "13:30"), at(s, "16:50")],
            ["赵六", "13800000004", "", at(s, "13:30"), at(s, "13:40")],
        ],
    )
    return {"onsite": onsite_session, "online": online_session}
