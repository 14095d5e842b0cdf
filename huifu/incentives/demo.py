"""Demo data: the 2023 “上期强源助企” projects (functional and the three service lines) with
tiered rules, covering 12 futures and all 8 options products, and ~20 participations of demo
members in every state. Idempotent: projects by code, participations by (project, member).

Project names, tiers and caps are illustrative; the real terms are in 上期发〔2023〕61号.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from huifu.accounts.models import OrgRole, User, UserKind
from huifu.accounts.system import system_actor
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
from huifu.products.catalogue import load_catalogue
from huifu.products.models import Product

from . import services
from .models import Participation, PilotProgramme, Project, ProjectStatus
from .pilots import load_pilots

D = datetime.date
NOTICE_NUMBER = "上期发〔2023〕61号"
NOTICE_DATE = D(2023, 3, 8)

T_VOLUME = [
    {"from": "0", "to": "50000", "rate": "0.05"},
    {"from": "50000", "to": "200000", "rate": "0.10"},
    {"from": "200000", "to": None, "rate": "0.20"},
]
T_OI = [
    {"from": "1000", "to": "5000", "rate": "0.10"},
    {"from": "5000", "to": None, "rate": "0.20"},
]
T_FEES = [{"from": "0", "to": "1000000", "rate": "0.15"}, {"from": "1000000", "to": None, "rate": "0.25"}]

# code, name_zh, name_en, kind, line, products, rule spec (basis, mode, tiers, min_oi), extra
PROJECTS: list[dict[str, Any]] = [
    {
        "code": "2023-F01",
        "name_zh": "铜产业链市场功能提升项目",
        "name_en": "Copper market function",
        "kind": "functional",
        "products": ["cu", "cu_o"],
        "rule": ("volume", "marginal", T_VOLUME, None),
        "pilots": ["一路铜行"],
        "cap_per_member": "500000",
        "cap_total": "8000000",
    },
    {
        "code": "2023-F02",
        "name_zh": "有色金属持仓提升项目",
        "name_en": "Base metals open interest",
        "kind": "functional",
        "products": ["al", "zn", "ni", "sn"],
        "rule": ("avg_open_interest", "whole", T_OI, "1000"),
        "pilots": ["助实体、稳发展"],
        "cap_per_member": "400000",
    },
    {
        "code": "2023-F03",
        "name_zh": "贵金属市场功能提升项目",
        "name_en": "Precious metals market function",
        "kind": "functional",
        "products": ["au", "ag"],
        "rule": ("volume", "marginal", T_VOLUME, None),
        "pilots": [],
        "cap_per_member": "300000",
    },
    {
        "code": "2023-F04",
        "name_zh": "钢材期货市场功能提升项目",
        "name_en": "Steel futures market function",
        "kind": "functional",
        "products": ["rb", "hc", "ss"],
        "rule": ("fees", "marginal", T_FEES, None),
        "pilots": ["丰羽行动"],
        "cap_per_member": "300000",
    },
    {
        "code": "2023-F05",
        "name_zh": "期权市场运行质量提升项目",
        "name_en": "Options market quality",
        "kind": "functional",
        "products": ["cu_o", "al_o", "zn_o", "au_o", "ag_o", "rb_o", "ru_o", "sc_o"],
        "rule": (
            "volume",
            "whole",
            [{"from": "10000", "to": "100000", "rate": "0.20"}, {"from": "100000", "to": None, "rate": "0.30"}],
            None,
        ),
        "pilots": ["期权稳产行动", "提升期权市场运行质量"],
        "cap_per_member": "200000",
    },
    {
        "code": "2023-F06",
        "name_zh": "综合业务平台交易减收项目",
        "name_en": "Platform trader fee reduction",
        "kind": "functional",
        "products": ["ru", "sp"],
        "rule": ("volume", "marginal", [{"from": "0", "to": None, "rate": "0.30"}], None),
        "pilots": ["综合服务平台交易减收"],
        "members": False,
        "traders": True,
        "entry_mode": "file",
    },
    {
        "code": "2023-S01",
        "name_zh": "定价基准推广项目",
        "name_en": "Pricing benchmark promotion",
        "kind": "service",
        "line": "pricing_benchmark",
        "products": ["cu", "al", "rb", "ru"],
        "rule": ("fees", "marginal", [{"from": "0", "to": None, "rate": "0.10"}], None),
        "pilots": ["期货稳价订单"],
        "requires_closing": True,
        "award": "50000",
    },
    {
        "code": "2023-S02",
        "name_zh": "产业企业拓展项目",
        "name_en": "Enterprise expansion",
        "kind": "service",
        "line": "enterprise_expansion",
        "products": ["cu", "al", "zn", "rb", "hc", "ru", "sp"],
        "rule": None,
        "pilots": ["走进企业 服务实体"],
        "entry_mode": "file",
        "award": "30000",
    },
    {
        "code": "2023-S03",
        "name_zh": "衍生工具应用项目",
        "name_en": "Derivatives tool application",
        "kind": "service",
        "line": "tool_application",
        "products": ["cu_o", "au_o", "rb_o", "ru_o"],
        "rule": None,
        "pilots": [],
        "requires_closing": True,
        "award": "40000",
    },
]

# project code, member index, target products, final state, joined_on
PARTICIPATIONS: list[tuple[str, int, list[str], str, datetime.date]] = [
    ("2023-F01", 0, ["cu", "cu_o"], "accepted", D(2023, 3, 20)),
    ("2023-F01", 1, ["cu"], "accepted", D(2023, 7, 1)),
    ("2023-F01", 2, ["cu"], "tracking", D(2023, 4, 1)),
    ("2023-F01", 3, ["cu_o"], "submitted", D(2023, 4, 1)),
    ("2023-F02", 0, ["al", "zn"], "partial", D(2023, 3, 20)),
    ("2023-F02", 4, ["ni", "sn"], "acceptance_review", D(2023, 5, 1)),
    ("2023-F02", 5, ["al"], "rejected", D(2023, 4, 1)),
    ("2023-F03", 1, ["au", "ag"], "accepted", D(2023, 3, 20)),
    ("2023-F03", 6, ["au"], "failed", D(2023, 4, 1)),
    ("2023-F04", 2, ["rb", "hc"], "accepted", D(2023, 3, 25)),
    ("2023-F04", 7, ["ss"], "withdrawn", D(2023, 4, 1)),
    ("2023-F05", 0, ["cu_o", "au_o", "sc_o"], "accepted", D(2023, 3, 20)),
    ("2023-F05", 3, ["rb_o", "ag_o"], "tracking", D(2023, 9, 1)),
    ("2023-F06", -1, ["ru", "sp"], "accepted", D(2023, 3, 20)),
    ("2023-S01", 0, ["cu", "al"], "closed", D(2023, 3, 20)),
    ("2023-S01", 4, ["rb"], "closing_review", D(2023, 4, 10)),
    ("2023-S02", 1, ["cu", "zn"], "accepted", D(2023, 4, 1)),
    ("2023-S02", 5, ["ru"], "submitted", D(2023, 4, 1)),
    ("2023-S03", 2, ["cu_o"], "acceptance_review", D(2023, 5, 1)),
    ("2023-S03", 6, ["au_o"], "tracking", D(2023, 6, 1)),
]


def _department() -> Department | None:
    return (
        Department.objects.filter(kind=DepartmentKind.BUSINESS, is_active=True).order_by("sort_order", "code").first()
        or Department.objects.filter(kind=DepartmentKind.COORDINATOR).first()
    )


def _reviewer() -> User | None:
    return (
        User.objects.filter(kind=UserKind.STAFF, is_active=True, department__kind=DepartmentKind.COORDINATOR)
        .order_by("pk")
        .first()
    )


def _contact(org: Organisation) -> User:
    """A user of ``org`` to act as the submitter: an existing one, else a demo contact."""
    user = User.objects.filter(organisation=org, kind=UserKind.MEMBER, is_active=True).order_by("pk").first()
    if user is not None:
        return user
    key = org.member_number or str(org.pk)
    return User.objects.create_user(
        f"incentives-{key}@demo.huifu.example",
        None,
        full_name=f"{org.short_name or org.name_zh}项目联系人",
        kind=UserKind.MEMBER,
        organisation=org,
        org_role=OrgRole.CONTACT,
    )


def _project(spec: dict[str, Any], products: dict[str, Product], department: Department | None) -> Project:
    existing = Project.objects.filter(code=spec["code"]).first()
    if existing is not None:
        return existing
    project = services.project_create(
        actor=system_actor(),
        products=[products[c] for c in spec["products"]],
        pilots=list(PilotProgramme.objects.filter(name_zh__in=spec["pilots"])),
        year=2023,
        code=spec["code"],
        name_zh=spec["name_zh"],
        name_en=spec["name_en"],
        kind=spec["kind"],
        service_line=spec.get("line", ""),
        description="根据《关于开展2023年“上期强源助企”项目的通知》开展。",
        open_to_members=spec.get("members", True),
        open_to_platform_traders=spec.get("traders", False),
        entry_mode=spec.get("entry_mode", "apply"),
        requires_closing=spec.get("requires_closing", False),
        department=department,
        notice_doc_number=NOTICE_NUMBER,
        notice_date=NOTICE_DATE,
        notice=_notice(),
        period_start=D(2023, 1, 1),
        period_end=D(2023, 12, 31),
        cap_per_member=Decimal(spec["cap_per_member"]) if spec.get("cap_per_member") else None,
        cap_total=Decimal(spec["cap_total"]) if spec.get("cap_total") else None,
        award_per_result=Decimal(spec["award"]) if spec.get("award") else None,
    )
    if spec["rule"] is not None:
        basis, mode, tiers, min_oi = spec["rule"]
        for code in spec["products"]:
            services.rule_save(
                actor=system_actor(),
                project=project,
                product=products[code],
                basis=basis,
                tier_mode=mode,
                tiers=tiers,
                min_avg_open_interest=Decimal(min_oi) if min_oi else None,
                cap_per_member=Decimal("150000"),
            )
    services.project_set_status(actor=system_actor(), project=project, status=ProjectStatus.OPEN)
    return project


def _notice() -> Any:
    from huifu.notices.models import Notice

    return Notice.objects.filter(doc_number=NOTICE_NUMBER).first()


def _drive(participation: Participation, state: str, reviewer: User, member: User, joined_on: datetime.date) -> None:
    """Move a fresh (submitted) participation to ``state`` through the real services."""
    if state == "submitted":
        return
    if state == "rejected":
        services.participation_review(
            actor=reviewer, participation=participation, approve=False, comment="方案与项目要求不符，请完善后重新申请。"
        )
        return
    if state == "withdrawn":
        services.participation_withdraw(actor=member, participation=participation, reason="公司业务调整。")
        return
    services.participation_review(
        actor=reviewer, participation=participation, approve=True, comment="同意参与。", joined_on=joined_on
    )
    services.participation_report(
        actor=member, participation=participation, text="一季度已开展产业客户培训3场，新增产业客户5家。"
    )
    if state == "tracking":
        return
    services.participation_submit_results(
        actor=member, participation=participation, text="全年成果：服务实体企业12家，相关品种成交与持仓稳步提升。"
    )
    if state == "acceptance_review":
        return
    if state in ("failed",):
        services.participation_accept(
            actor=reviewer, participation=participation, result="failed", notes="未达到项目目标。"
        )
        return
    if state == "partial":
        services.participation_accept(
            actor=reviewer,
            participation=participation,
            result="partial",
            payout_ratio=Decimal("0.6"),
            notes="部分品种持仓未达标。",
        )
        return
    services.participation_accept(
        actor=reviewer, participation=participation, result="accepted", notes="成果验收通过。"
    )
    if state in ("closing_review", "closed"):
        services.participation_apply_closing(actor=member, participation=participation, text="申请结项，附总结报告。")
    if state == "closed":
        services.participation_closing_review(
            actor=reviewer, participation=participation, approve=True, comment="同意结项。"
        )


@transaction.atomic
def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    load_catalogue(Product)
    load_pilots(PilotProgramme)
    products = {p.code: p for p in Product.objects.all()}
    department = _department()
    projects = {spec["code"]: _project(spec, products, department) for spec in PROJECTS}
    reviewer = _reviewer()
    members = list(
        Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).order_by("member_number", "pk")[:10]
    )
    trader = Organisation.objects.filter(kind=OrganisationKind.PLATFORM_TRADER).order_by("pk").first()
    created = 0
    if reviewer is not None:
        for code, index, targets, state, joined_on in PARTICIPATIONS:
            org = trader if index < 0 else (members[index] if index < len(members) else None)
            project = projects[code]
            if org is None or Participation.objects.filter(project=project, organisation=org).exists():
                continue
            member = _contact(org)
            participation = services.participation_submit(
                actor=member,
                project=project,
                plan=f"{org.short_name or org.name_zh}围绕{project.name_zh}的年度服务方案：开展产业客户培训、"
                "走访实体企业、推广期货及期权工具应用。",
                products=[products[c] for c in targets],
            )
            _drive(participation, state, reviewer, member, joined_on)
            created += 1
    from .research import seed_demo as seed_research

    research = seed_research(department=department, reviewer=reviewer)
    if stdout is not None:
        stdout.write(f"incentives: research call {research} topics created\n")
        stdout.write(
            f"incentives: {len(projects)} projects, {created} participations created "
            f"({Participation.objects.count()} in total)\n"
        )
