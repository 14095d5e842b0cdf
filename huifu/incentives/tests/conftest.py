"""Incentive fixtures: projects, rules and participations built through the real services."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huifu.accounts.models import OrgRole
from huifu.core.testing.factories import OrganisationFactory, org_user
from huifu.directory.models import OrganisationKind
from huifu.incentives import services
from huifu.products.testing import catalogue  # noqa: F401

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
TIERS = [{"from": "0", "to": "100000", "rate": "0.10"}, {"from": "100000", "to": None, "rate": "0.20"}]


def pdf_upload(name: str = "方案.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def period() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today + datetime.timedelta(days=300)


@pytest.fixture
def make_project(coordinator, dept_business, catalogue, period, official_calendar):  # noqa: F811
    """make_project(code=..., products=["cu"], open=True, rules=True, **fields) -> Project."""

    def make(*, code: str = "T-F01", products=("cu", "cu_o"), open: bool = True, rules: bool = True, **fields):
        fields.setdefault("year", period[0].year)
        fields.setdefault("name_zh", "测试功能类项目")
        fields.setdefault("kind", "functional")
        fields.setdefault("entry_mode", "apply")
        fields.setdefault("department", dept_business)
        fields.setdefault("period_start", period[0])
        fields.setdefault("period_end", period[1])
        fields.setdefault("notice_doc_number", "上期发〔2023〕61号")
        project = services.project_create(
            actor=coordinator, code=code, products=[catalogue[c] for c in products], **fields
        )
        if rules:
            for c in products:
                services.rule_save(
                    actor=coordinator,
                    project=project,
                    product=catalogue[c],
                    basis="volume",
                    tier_mode="marginal",
                    tiers=TIERS,
                )
        if open:
            project = services.project_set_status(actor=coordinator, project=project, status="open")
        return project

    return make


@pytest.fixture
def project(make_project):
    return make_project()


@pytest.fixture
def submitted(project, member_a_admin, catalogue):  # noqa: F811
    return services.participation_submit(
        actor=member_a_admin,
        project=project,
        plan="服务铜产业链企业",
        products=[catalogue["cu"]],
        uploads=[pdf_upload()],
    )


@pytest.fixture
def tracking(submitted, dept_staff):
    return services.participation_review(actor=dept_staff, participation=submitted, approve=True, comment="同意")


@pytest.fixture
def in_acceptance(tracking, member_a_admin):
    return services.participation_submit_results(actor=member_a_admin, participation=tracking, text="成果")


@pytest.fixture
def accepted(in_acceptance, dept_staff):
    return services.participation_accept(actor=dept_staff, participation=in_acceptance, result="accepted", notes="通过")


@pytest.fixture
def trader_org(db):
    return OrganisationFactory(kind=OrganisationKind.PLATFORM_TRADER, name_zh="丙交易商", member_number=None)


@pytest.fixture
def trader_user(trader_org):
    return org_user(trader_org, OrgRole.ADMIN, email="trader@c.example", full_name="丙")


@pytest.fixture
def personas(
    member_a_admin,
    member_a_contact,
    member_b_admin,
    partner_user,
    regulator,
    public_user,
    dept_staff,
    finance_user,
    coordinator,
    trader_user,
):
    return {
        "member_a": member_a_admin,
        "member_a_contact": member_a_contact,
        "member_b": member_b_admin,
        "trader": trader_user,
        "partner": partner_user,
        "regulator": regulator,
        "public": public_user,
        "dept_staff": dept_staff,
        "finance": finance_user,
        "coordinator": coordinator,
    }
