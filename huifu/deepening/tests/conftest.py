"""Deep-cultivation fixtures: enterprises in three regions, profiles and plans built through
the real services (member A's admin drafts and submits, the coordinator reviews)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huifu.budget.services import pool_create
from huifu.core.testing.factories import OrganisationFactory
from huifu.deepening import services
from huifu.deepening.models import ActivityKind, EnterpriseSituation
from huifu.directory.models import OrganisationKind
from huifu.directory.regions import Region

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf_upload(name: str = "签到表.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _calendar(official_calendar):
    """Every stage deadline is counted on the official working-day calendar."""


def _enterprise(name: str, region: str):
    return OrganisationFactory(kind=OrganisationKind.ENTERPRISE, name_zh=name, member_number=None, region=region)


@pytest.fixture
def ent_shanghai(db):
    return _enterprise("上海某钢铁集团有限公司", Region.SHANGHAI)


@pytest.fixture
def ent_jiangxi(db):
    return _enterprise("江西某铜业集团有限公司", Region.JIANGXI)


@pytest.fixture
def ent_yunnan(db):
    return _enterprise("云南某橡胶加工有限公司", Region.YUNNAN)


@pytest.fixture
def csrc_jiangxi(db):
    return OrganisationFactory(
        kind=OrganisationKind.CSRC_BUREAU,
        name_zh="中国证券监督管理委员会江西监管局",
        member_number=None,
        region=Region.JIANGXI,
    )


@pytest.fixture
def regulator_jiangxi(csrc_jiangxi):
    from huifu.accounts.models import OrgRole
    from huifu.core.testing.factories import org_user

    return org_user(csrc_jiangxi, OrgRole.CONTACT, email="officer@csrc-jx.example", full_name="江西监管员")


@pytest.fixture
def make_profile(member_a_admin):
    def make(enterprise, *, actor=None, situation=EnterpriseSituation.WILLING, **fields):
        fields.setdefault("industry", "有色金属")
        fields.setdefault("products_of_interest", ["铜", "铝"])
        if situation == EnterpriseSituation.OBSTACLE:
            fields.setdefault("obstacle_description", "董事会对衍生品有顾虑")
        return services.profile_create(
            actor=actor or member_a_admin, enterprise=enterprise, situation=situation, **fields
        )

    return make


@pytest.fixture
def pool(coordinator):
    return pool_create(
        year=2023,
        name="2023年合作举办市场活动预算池",
        amount=Decimal("500000.00"),
        department=coordinator.department,
        actor=coordinator,
    )


@pytest.fixture
def make_plan(member_a_admin, make_profile):
    """make_plan(enterprises=[org, ...], actor=..., submit=True) -> plan (member A by default)."""

    def make(
        *, enterprises=(), actor=None, submit: bool = False, title: str = "铜产业链深耕计划", amount: str = "80000.00"
    ):
        actor = actor or member_a_admin
        today = timezone.localdate()
        plan = services.plan_create(
            actor=actor,
            title=title,
            year=today.year,
            objectives="服务重点企业风险管理",
            period_start=today - datetime.timedelta(days=30),
            period_end=today + datetime.timedelta(days=120),
        )
        for enterprise in enterprises:
            profile = make_profile(enterprise, actor=actor)
            entry = services.plan_enterprise_add(actor=actor, plan=plan, profile=profile, objectives="培训与辅导")
            services.plan_activity_add(
                actor=actor,
                plan=plan,
                kind=ActivityKind.TRAINING,
                title=f"{enterprise}培训",
                planned_date=today,
                plan_enterprise=entry,
            )
        services.budget_line_add(actor=actor, plan=plan, item="场地及讲师", amount=amount)
        if submit:
            services.plan_submit(actor=actor, plan=plan)
            plan.refresh_from_db()
        return plan

    return make
