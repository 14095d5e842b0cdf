"""Demo logins for ``manage.py seed_demo``: one account for every role, safe to run twice.

Organisations and departments come from ``huifu/directory/demo.py`` (run first); each is looked
up by kind, and a role whose organisation or department is missing is skipped with a note.
Staff and regulators must use TOTP: their authenticator uses the published demo secret, and
``manage.py demo_totp EMAIL`` prints the current code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from allauth.account.models import EmailAddress

from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
from huifu.directory.regions import Region

from .models import OrgRole, User, UserKind
from .totp import DEMO_TOTP_SECRET, activate_totp

DEMO_PASSWORD = "Huifu-demo-2026"
DEMO_DOMAIN = "demo.huifu.example"


@dataclass(frozen=True)
class DemoRole:
    label: str
    local_part: str
    full_name: str
    kind: str
    department_kind: str = ""
    department_head: bool = False
    org_kind: str = ""
    org_index: int = 0  # 0: first organisation of the kind, 1: the second (for isolation demos)
    org_role: str = ""


ROLES: tuple[DemoRole, ...] = (
    DemoRole(
        "Member Management (coordinator)",
        "coordinator",
        "王协调",
        UserKind.STAFF,
        department_kind=DepartmentKind.COORDINATOR,
    ),
    DemoRole(
        "Business department head",
        "dept-head",
        "张主任",
        UserKind.STAFF,
        department_kind=DepartmentKind.BUSINESS,
        department_head=True,
    ),
    DemoRole(
        "Business department staff", "dept-staff", "李业务", UserKind.STAFF, department_kind=DepartmentKind.BUSINESS
    ),
    DemoRole(
        "Market Service Center", "msc", "钱服务", UserKind.STAFF, department_kind=DepartmentKind.MARKET_SERVICE_CENTER
    ),
    DemoRole("Finance", "finance", "赵财务", UserKind.STAFF, department_kind=DepartmentKind.FINANCE),
    DemoRole("INE subsidiary", "ine", "孙能源", UserKind.STAFF, department_kind=DepartmentKind.SUBSIDIARY),
    DemoRole(
        "Futures company A admin",
        "member-a-admin",
        "甲管理员",
        UserKind.MEMBER,
        org_kind=OrganisationKind.FUTURES_COMPANY,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "Futures company A contact",
        "member-a-contact",
        "甲联系人",
        UserKind.MEMBER,
        org_kind=OrganisationKind.FUTURES_COMPANY,
        org_role=OrgRole.CONTACT,
    ),
    DemoRole(
        "Futures company B admin",
        "member-b-admin",
        "乙管理员",
        UserKind.MEMBER,
        org_kind=OrganisationKind.FUTURES_COMPANY,
        org_index=1,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "Platform trader contact",
        "trader",
        "丙交易商",
        UserKind.MEMBER,
        org_kind=OrganisationKind.PLATFORM_TRADER,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "Industry association",
        "association",
        "协会联系人",
        UserKind.PARTNER,
        org_kind=OrganisationKind.INDUSTRY_ASSOCIATION,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "University",
        "university",
        "高校联系人",
        UserKind.PARTNER,
        org_kind=OrganisationKind.UNIVERSITY,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "Enterprise",
        "enterprise",
        "企业联系人",
        UserKind.PARTNER,
        org_kind=OrganisationKind.ENTERPRISE,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "Overseas broker",
        "overseas",
        "境外经纪机构联系人",
        UserKind.PARTNER,
        org_kind=OrganisationKind.OVERSEAS_BROKER,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "Training institution",
        "training",
        "培训机构联系人",
        UserKind.PARTNER,
        org_kind=OrganisationKind.TRAINING_INSTITUTION,
        org_role=OrgRole.ADMIN,
    ),
    DemoRole(
        "CSRC Shanghai bureau (regulator)",
        "regulator",
        "监管员",
        UserKind.REGULATOR,
        org_kind=OrganisationKind.CSRC_BUREAU,
        org_role=OrgRole.CONTACT,
    ),
    DemoRole("Public participant", "investor", "公众投资者", UserKind.PUBLIC),
)


def demo_email(role: DemoRole) -> str:
    return f"{role.local_part}@{DEMO_DOMAIN}"


def _department(kind: str) -> Department | None:
    return Department.objects.filter(kind=kind, is_active=True).order_by("sort_order", "code").first()


def _organisation(kind: str, index: int) -> Organisation | None:
    organisations = Organisation.objects.filter(kind=kind).order_by("member_number", "pk")
    if kind == OrganisationKind.CSRC_BUREAU:
        shanghai = organisations.filter(region=Region.SHANGHAI).first()
        if shanghai is not None:
            return shanghai
    return organisations[index : index + 1].first()


def _ensure(role: DemoRole) -> tuple[User | None, str]:
    """Get or create the role's user. Returns (user or None, note)."""
    email = demo_email(role)
    department = _department(role.department_kind) if role.kind == UserKind.STAFF else None
    organisation = _organisation(role.org_kind, role.org_index) if role.org_kind else None
    if role.kind == UserKind.STAFF and department is None:
        return None, f"skipped: no {role.department_kind} department"
    if role.org_kind and organisation is None:
        return None, f"skipped: no {role.org_kind} organisation #{role.org_index + 1}"
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            full_name=role.full_name,
            kind=role.kind,
            department=department,
            is_department_head=role.department_head,
            organisation=organisation,
            org_role=role.org_role,
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"primary": True, "verified": True})
    note = str(organisation or department or "")
    if user.mfa_required:
        activate_totp(user, DEMO_TOTP_SECRET)
        note += " · TOTP: manage.py demo_totp " + email
    return user, note


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    """Create the demo logins (``scale`` does not change them: one account per role)."""
    rows = [(role.label, demo_email(role), *_ensure(role)) for role in ROLES]
    if stdout is None:
        return
    stdout.write("\nDemo logins\n")
    width = max(len(label) for label, *_ in rows)
    stdout.write(f"  {'role':<{width}}  {'e-mail':<36}  {'password':<16}  note\n")
    for label, email, user, note in rows:
        password = DEMO_PASSWORD if user is not None else "-"
        stdout.write(f"  {label:<{width}}  {email:<36}  {password:<16}  {note}\n")
    stdout.write(
        f"Staff and regulator accounts need a TOTP code: `manage.py demo_totp EMAIL` prints it, or add the "
        f"secret {DEMO_TOTP_SECRET} to an authenticator app.\n"
    )
