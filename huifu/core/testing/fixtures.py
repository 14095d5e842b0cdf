"""Named personas used across the suite.

coordinator       Member Management (the coordinator department)
dept_staff        a business department's staff member; dept_head is its head
finance_user      Finance; msc_user Market Service Center; ine_user the INE subsidiary
member_a_admin    admin of futures company A; member_a_contact a contact of A
member_b_admin    admin of futures company B; member_b_contact a contact of B
partner_user      a contact of an industry association
regulator         a user of the Shanghai CSRC bureau
public_user       a self-registered public participant
"""

from __future__ import annotations

import pytest

from huifu.accounts.models import OrgRole
from huifu.directory.models import DepartmentKind, OrganisationKind
from huifu.directory.regions import Region

from .factories import TEST_PASSWORD, DepartmentFactory, OrganisationFactory, UserFactory, org_user, staff_user


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture
def dept_mm(db):
    return DepartmentFactory(
        code="member-management",
        kind=DepartmentKind.COORDINATOR,
        name_zh="会员管理部",
        name_en="Member Management Department",
    )


@pytest.fixture
def dept_business(db):
    return DepartmentFactory(
        code="nonferrous", kind=DepartmentKind.BUSINESS, name_zh="有色金属部", name_en="Non-ferrous Metals Department"
    )


@pytest.fixture
def dept_msc(db):
    return DepartmentFactory(
        code="msc", kind=DepartmentKind.MARKET_SERVICE_CENTER, name_zh="市场服务中心", name_en="Market Service Center"
    )


@pytest.fixture
def dept_finance(db):
    return DepartmentFactory(
        code="finance", kind=DepartmentKind.FINANCE, name_zh="财务部", name_en="Finance Department"
    )


@pytest.fixture
def dept_ine(db):
    return DepartmentFactory(
        code="ine",
        kind=DepartmentKind.SUBSIDIARY,
        name_zh="上海国际能源交易中心",
        name_en="Shanghai International Energy Exchange",
    )


@pytest.fixture
def coordinator(dept_mm):
    return staff_user(dept_mm, email="coordinator@shfe.example", full_name="王协调")


@pytest.fixture
def dept_staff(dept_business):
    return staff_user(dept_business, email="staff@shfe.example", full_name="李业务")


@pytest.fixture
def dept_head(dept_business):
    return staff_user(dept_business, email="head@shfe.example", full_name="张主任", is_department_head=True)


@pytest.fixture
def finance_user(dept_finance):
    return staff_user(dept_finance, email="finance@shfe.example", full_name="赵财务")


@pytest.fixture
def msc_user(dept_msc):
    return staff_user(dept_msc, email="msc@shfe.example", full_name="钱服务")


@pytest.fixture
def ine_user(dept_ine):
    return staff_user(dept_ine, email="ine@ine.example", full_name="孙能源")


@pytest.fixture
def org_a(db):
    return OrganisationFactory(
        name_zh="甲期货有限公司", name_en="Alpha Futures Co., Ltd.", member_number="0101", short_name="甲期货"
    )


@pytest.fixture
def org_b(db):
    return OrganisationFactory(
        name_zh="乙期货有限公司",
        name_en="Beta Futures Co., Ltd.",
        member_number="0202",
        short_name="乙期货",
        region=Region.ZHEJIANG,
    )


@pytest.fixture
def member_a_admin(org_a):
    return org_user(org_a, OrgRole.ADMIN, email="admin@alpha.example", full_name="甲管理员")


@pytest.fixture
def member_a_contact(org_a):
    return org_user(org_a, OrgRole.CONTACT, email="contact@alpha.example", full_name="甲联系人")


@pytest.fixture
def member_b_admin(org_b):
    return org_user(org_b, OrgRole.ADMIN, email="admin@beta.example", full_name="乙管理员")


@pytest.fixture
def member_b_contact(org_b):
    return org_user(org_b, OrgRole.CONTACT, email="contact@beta.example", full_name="乙联系人")


@pytest.fixture
def association(db):
    return OrganisationFactory(
        kind=OrganisationKind.INDUSTRY_ASSOCIATION,
        name_zh="上海有色金属行业协会",
        name_en="Shanghai Non-ferrous Metals Industry Association",
        member_number=None,
    )


@pytest.fixture
def partner_user(association):
    return org_user(association, OrgRole.ADMIN, email="partner@assoc.example", full_name="协会联系人")


@pytest.fixture
def csrc_shanghai(db):
    return OrganisationFactory(
        kind=OrganisationKind.CSRC_BUREAU,
        name_zh="中国证券监督管理委员会上海监管局",
        name_en="CSRC Shanghai Bureau",
        member_number=None,
        region=Region.SHANGHAI,
    )


@pytest.fixture
def regulator(csrc_shanghai):
    return org_user(csrc_shanghai, OrgRole.CONTACT, email="officer@csrc-sh.example", full_name="监管员")


@pytest.fixture
def public_user(db):
    return UserFactory(email="investor@example.com", full_name="公众投资者")
