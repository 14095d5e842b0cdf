"""Personas of university cooperation: two universities (each with an admin and a teacher), two
member companies hosting interns, and MOUs built through the real services."""

from __future__ import annotations

import datetime

import pytest

from huifu.accounts.models import OrgRole
from huifu.accounts.system import system_actor
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.directory.models import OrganisationKind
from huifu.directory.regions import Region
from huifu.universities import services


@pytest.fixture
def uni_a(db):
    return OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name_zh="上海财经大学", region=Region.SHANGHAI)


@pytest.fixture
def uni_b(db):
    return OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name_zh="复旦大学", region=Region.SHANGHAI)


@pytest.fixture
def uni_c(db):
    return OrganisationFactory(kind=OrganisationKind.UNIVERSITY, name_zh="中南财经政法大学", region=Region.HUBEI)


@pytest.fixture
def uni_a_admin(uni_a):
    return org_user(uni_a, role=OrgRole.ADMIN)


@pytest.fixture
def uni_a_user(uni_a):
    return org_user(uni_a)


@pytest.fixture
def uni_b_user(uni_b):
    return org_user(uni_b)


def make_mou(university, *, start=datetime.date(2025, 1, 1), end=datetime.date(2027, 12, 31), **kw):
    values = {
        "title": kw.pop("title", f"{university.name_zh}投资者教育合作备忘录"),
        "signed_on": kw.pop("signed_on", start),
        "starts_on": start,
        "ends_on": end,
        "courses_per_year": 1,
        "lectures_per_year": 2,
        "internships_per_year": 2,
        "research_topics_per_year": 1,
    }
    values.update(kw)
    return services.mou_create(actor=system_actor(), university=university, counterparts=[("刘元春", "校长")], **values)


@pytest.fixture
def mou_a(uni_a):
    return make_mou(uni_a)


@pytest.fixture
def mou_b(uni_b):
    return make_mou(uni_b)


def make_course(mou, *, start=datetime.date(2025, 9, 1), end=datetime.date(2026, 1, 16), **kw):
    values = {"title": "期货与衍生品", "academic_year": "2025-2026", "semester": "autumn", "hours": "32"}
    values.update(kw)
    return services.course_create(actor=system_actor(), mou=mou, starts_on=start, ends_on=end, **values)
