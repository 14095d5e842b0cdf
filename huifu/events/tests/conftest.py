"""Event fixtures: series, speakers and sessions built through the real services."""

from __future__ import annotations

import datetime

import pytest

from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.directory.models import OrganisationKind
from huifu.events import services
from huifu.events.models import Audience, Mode, SeriesKind, Slot, TopicType

YEAR = 2026
# 2026 (the published schedule the workdays migration loads): an ordinary Thursday, a National Day
# holiday, and the Sunday worked in exchange for it (调休).
WORKDAY = datetime.date(YEAR, 3, 19)
HOLIDAY = datetime.date(YEAR, 10, 1)
MAKEUP = datetime.date(YEAR, 9, 20)


@pytest.fixture
def msc_manager(msc_user):
    return msc_user


@pytest.fixture
def university(db):
    return OrganisationFactory(name_zh="上海财经大学", kind=OrganisationKind.UNIVERSITY, short_name="上财")


@pytest.fixture
def other_university(db):
    return OrganisationFactory(name_zh="复旦大学", kind=OrganisationKind.UNIVERSITY, short_name="复旦")


@pytest.fixture
def university_user(university):
    return org_user(university, email="teacher@sufe.example", full_name="上财老师")


@pytest.fixture
def other_university_user(other_university):
    return org_user(other_university, email="teacher@fudan.example", full_name="复旦老师")


@pytest.fixture
def talk_series(coordinator):
    return services.series_create(
        actor=coordinator, year=YEAR, kind=SeriesKind.MONTHLY_TALK, title_zh="2026年大宗商品月月谈"
    )


@pytest.fixture
def training_series(coordinator):
    return services.series_create(
        actor=coordinator, year=YEAR, kind=SeriesKind.TRAINING, title_zh="2026年会员及从业人员培训"
    )


def session_data(**overrides):
    data = {
        "title": "铜产业链年度展望",
        "date": WORKDAY,
        "slot": Slot.AFTERNOON,
        "mode": Mode.ON_SITE,
        "address": "上海市浦东新区浦电路500号",
        "room": "二楼报告厅",
        "capacity": 100,
        "topic_type": TopicType.MARKET_OUTLOOK,
        "audiences": [Audience.ANALYSTS, Audience.INDIVIDUALS],
        "programme": "14:00 主题演讲",
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_session(coordinator, talk_series):
    def make(*, actor=None, series=None, publish=False, **overrides):
        session = services.session_create(
            actor=actor or coordinator, series=series or talk_series, **session_data(**overrides)
        )
        if publish:
            session = services.session_publish(actor=coordinator, session=session)
        return session

    return make


@pytest.fixture
def training_session(coordinator, training_series, university):
    session = services.session_create(
        actor=coordinator,
        series=training_series,
        co_organisers=[university],
        **session_data(title="合规培训", audiences=[Audience.MEMBERS_PRACTITIONERS]),
    )
    return services.session_publish(actor=coordinator, session=session)
