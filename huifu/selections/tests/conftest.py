"""Selection fixtures: a 2023-style selection built through the real services, with its phase
windows moved around "now" so each test stands in the phase it needs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from huifu.accounts.models import OrgRole
from huifu.awards.services import BonusSpec, IndicatorInput
from huifu.core.testing.factories import OrganisationFactory, UserFactory, org_user, staff_user
from huifu.selections import services
from huifu.selections.models import ApplicantKind, Phase, PhaseKind

YEAR = 2023


def rubric() -> list[IndicatorInput]:
    return [
        IndicatorInput("research", "研究能力", "Research", Decimal(40), source="judges"),
        IndicatorInput("service", "服务实体经济", "Service to the real economy", Decimal(40), source="judges"),
        IndicatorInput(
            "reports", "发布报告", "Reports published", Decimal(20), source="computed", metric="analyst_reports"
        ),
    ]


def bonus() -> list[BonusSpec]:
    return [BonusSpec("analyst_talks", "月月谈授课", "Monthly talks given", Decimal(3))]


def windows(current: str) -> dict[str, tuple[datetime.datetime, datetime.datetime]]:
    """Five ordered, non-overlapping windows of 2 days with ``current`` open now."""
    now = timezone.now()
    order = PhaseKind.ordered()
    index = order.index(current)
    return {
        kind: (now + datetime.timedelta(days=10 * (k - index) - 1), now + datetime.timedelta(days=10 * (k - index) + 1))
        for k, kind in enumerate(order)
    }


def move_to(selection, current: str) -> None:
    """Test helper: put ``selection`` in phase ``current`` (the service checks the order; the
    windows here are ordered by construction)."""
    for kind, (opens, closes) in windows(current).items():
        Phase.objects.filter(selection=selection, kind=kind).update(opens_at=opens, closes_at=closes)
    selection.refresh_from_db()


@pytest.fixture
def manager(coordinator):
    """Staff of the organising department (Member Management here)."""
    return coordinator


@pytest.fixture
def selection(manager, dept_mm):
    return services.selection_create(
        actor=manager,
        year=YEAR,
        title="2023年度优秀分析师（团队）评选",
        department=dept_mm,
        phases=windows(PhaseKind.APPLICATION),
    )


def _category(manager, selection, code, kind, **fields):
    scheme = services.rubric_create(
        actor=manager, selection=selection, category_code=code, indicators=rubric(), bonus_items=bonus()
    )
    return services.category_create(
        actor=manager,
        selection=selection,
        scheme=scheme,
        code=code,
        name_zh={"team": "优秀分析师团队", "metal": "有色金属优秀分析师"}.get(code, code),
        name_en=code,
        applicant_kind=kind,
        **fields,
    )


@pytest.fixture
def team_category(manager, selection):
    return _category(manager, selection, "team", ApplicantKind.TEAM)


@pytest.fixture
def blind_category(manager, selection):
    return _category(manager, selection, "metal", ApplicantKind.INDIVIDUAL, blind=True)


@pytest.fixture
def make_category(manager, selection):
    def make(code, kind=ApplicantKind.INDIVIDUAL, **fields):
        return _category(manager, selection, code, kind, **fields)

    return make


@pytest.fixture
def org_c(db):
    return OrganisationFactory(
        name_zh="丙期货有限公司", name_en="Gamma Futures", member_number="0303", short_name="丙期货"
    )


@pytest.fixture
def judge_staff(dept_staff):
    """An exchange staff judge (not of the organising department)."""
    return dept_staff


@pytest.fixture
def judge_expert(db):
    """An external expert's account (kind public)."""
    return UserFactory(email="expert@university.example", full_name="周专家")


@pytest.fixture
def judge_chair(dept_ine):
    return staff_user(dept_ine, email="chair@ine.example", full_name="吴主席")


@pytest.fixture
def member_c_admin(org_c):
    return org_user(org_c, OrgRole.ADMIN, email="admin@gamma.example", full_name="丙管理员")


def team(*people, former=None, former_until=None):
    rows = []
    for index, (name, cert) in enumerate(people):
        rows.append(
            {
                "full_name": name,
                "certificate_no": cert,
                "is_leader": index == 0,
                "former_organisation": former if index == len(people) - 1 else None,
                "former_until": former_until if index == len(people) - 1 else None,
            }
        )
    return rows


@pytest.fixture
def confirmed(member_a_admin):
    """confirmed(category, members, admin=..., kind=..., team_name=...) → a confirmed application."""

    def make(category, members, *, admin=None, team_name="", summary="服务实体企业风险管理。"):
        admin = admin or member_a_admin
        application = services.application_create(
            actor=admin,
            category=category,
            kind=category.applicant_kind,
            team_name=team_name or ("研究团队" if category.applicant_kind == ApplicantKind.TEAM else ""),
            summary=summary,
            members=members,
        )
        services.application_submit(actor=admin, application=application)
        return services.application_confirm(actor=admin, application=application)

    return make
