"""Demo data for the enterprise deep-cultivation plan (``manage.py seed_demo``).

Enterprises in Jiangxi, Shanghai, Yunnan and Zhejiang (registered through the directory's
services), the members' profiles with contact logs, and five plans in different states built
through the real services: one closed with its costs paid, one in progress with supervision
notes by the Shanghai regulator, one returned for revision, one awaiting review, one draft.
Idempotent: does nothing when the first demo plan exists. ``scale`` adds more submitted plans.
"""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.db import transaction

from huifu.accounts.models import User
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
from huifu.directory.regions import Region

from . import services
from .models import DeepeningPlan, EnterpriseSituation

DOMAIN = "demo.huifu.example"
FIRST_PLAN = "江西铜产业链企业深耕计划"

ENTERPRISES = [
    # name, region, industry, products, situation, obstacle, key
    (
        "江西某铜业集团有限公司",
        Region.JIANGXI,
        "铜冶炼及加工",
        ["铜", "铜期权", "白银"],
        EnterpriseSituation.TRADING,
        "",
        True,
    ),
    (
        "上海某钢铁集团有限公司",
        Region.SHANGHAI,
        "钢铁",
        ["螺纹钢", "热轧卷板", "不锈钢"],
        EnterpriseSituation.WILLING,
        "",
        True,
    ),
    (
        "云南某橡胶加工有限公司",
        Region.YUNNAN,
        "天然橡胶加工",
        ["天然橡胶", "20号胶"],
        EnterpriseSituation.WILLING,
        "",
        False,
    ),
    (
        "上海某石油化工有限公司",
        Region.SHANGHAI,
        "石油化工",
        ["燃料油", "石油沥青"],
        EnterpriseSituation.OBSTACLE,
        "国资委对衍生品业务审批严格，企业缺乏专职风控人员，董事会担心套保亏损被追责。",
        True,
    ),
    ("浙江某铝业股份有限公司", Region.ZHEJIANG, "铝加工", ["铝", "氧化铝"], EnterpriseSituation.WILLING, "", False),
]


OBJECTIVES_ZH = {
    EnterpriseSituation.TRADING: "发挥案例、宣传示范效应：总结企业套保经验，形成产业服务案例。",
    EnterpriseSituation.WILLING: "输出期货市场原理知识，为企业内部搭建价格风险管理体系提供专项辅导。",
    EnterpriseSituation.OBSTACLE: "摸清入市障碍底数，建立每月一次的常态化沟通联系。",
}


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DOMAIN}").select_related("organisation", "department").first()


def _enterprise(coordinator: User, name: str, region: str) -> Organisation:
    from huifu.directory.services import organisation_create

    existing = Organisation.objects.filter(name_zh=name).first()
    return existing or organisation_create(
        actor=coordinator, kind=OrganisationKind.ENTERPRISE, name_zh=name, region=region
    )


def _pool(coordinator: User) -> Any:
    from huifu.budget.models import BudgetPool, PoolStatus
    from huifu.budget.services import pool_create

    pool = BudgetPool.objects.filter(year=2023, status=PoolStatus.OPEN).order_by("pk").first()
    if pool is None:
        department = Department.objects.filter(kind=DepartmentKind.COORDINATOR).first()
        pool = pool_create(
            year=2023, name="合作举办市场活动", amount="5000000.00", department=department, actor=coordinator
        )
    return pool


def _plan(
    actor: User, title: str, profiles: list[Any], activities: list[tuple], lines: list[tuple], objectives: str
) -> DeepeningPlan:
    plan = services.plan_create(
        actor=actor,
        title=title,
        year=2023,
        objectives=objectives,
        period_start=datetime.date(2023, 4, 1),
        period_end=datetime.date(2023, 12, 31),
    )
    entries = {}
    for profile in profiles:
        entries[profile.pk] = services.plan_enterprise_add(
            actor=actor, plan=plan, profile=profile, objectives=OBJECTIVES_ZH[profile.situation]
        )
    for kind, name, day, profile in activities:
        services.plan_activity_add(
            actor=actor,
            plan=plan,
            kind=kind,
            title=name,
            planned_date=day,
            plan_enterprise=entries.get(profile.pk) if profile else None,
        )
    for item, amount in lines:
        services.budget_line_add(actor=actor, plan=plan, item=item, amount=amount)
    return plan


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:
    people = {
        k: _user(k)
        for k in ("coordinator", "finance", "member-a-admin", "member-a-contact", "member-b-admin", "regulator")
    }
    if any(u is None for u in people.values()):
        if stdout:
            stdout.write("deepening: demo users missing; skipped\n")
        return
    if DeepeningPlan.objects.filter(title=FIRST_PLAN).exists():
        if stdout:
            stdout.write("deepening: already seeded\n")
        return
    with transaction.atomic():
        _seed(people, scale)
    if stdout:
        stdout.write(f"deepening: {len(ENTERPRISES)} enterprises, {4 + scale} plans\n")


def _seed(people: dict[str, User], scale: int) -> None:
    from huifu.budget.services import allocation_for, invoice_register, payment_record

    coordinator, finance = people["coordinator"], people["finance"]
    a_admin, a_contact, b_admin = people["member-a-admin"], people["member-a-contact"], people["member-b-admin"]
    regulator = people["regulator"]
    pool = _pool(coordinator)
    orgs = [_enterprise(coordinator, name, region) for name, region, *_ in ENTERPRISES]
    profiles_a, profiles_b = {}, {}
    for org, (name, _r, industry, products, situation, obstacle, key) in zip(orgs, ENTERPRISES, strict=True):
        owner = b_admin if name.startswith(("上海某石油", "浙江")) else a_admin
        profile = services.profile_create(
            actor=owner,
            enterprise=org,
            industry=industry,
            situation=situation,
            products_of_interest=products,
            obstacle_description=obstacle,
            is_key_enterprise=key,
        )
        (profiles_b if owner == b_admin else profiles_a)[name[:4]] = profile
    # A profile of an enterprise not yet in the directory (Member Management registers it later).
    services.profile_create(
        actor=a_admin,
        pending_name="江西某钨业有限公司",
        pending_region=Region.JIANGXI,
        industry="钨冶炼",
        situation=EnterpriseSituation.WILLING,
        products_of_interest=["铜"],
    )

    copper, steel, rubber = profiles_a["江西某铜"], profiles_a["上海某钢"], profiles_a["云南某橡"]
    chem, alu = profiles_b["上海某石"], profiles_b["浙江某铝"]
    log = [
        (
            copper,
            datetime.date(2023, 3, 2),
            "visit",
            "甲期货王经理；铜业集团期货部李部长",
            "了解年度套保计划及铜期权使用情况",
            "邀请参加铜期权专题研讨",
        ),
        (
            copper,
            datetime.date(2023, 6, 15),
            "online",
            "甲期货研究所；集团财务部",
            "复盘二季度套保效果，企业希望总结为案例",
            "整理案例材料",
        ),
        (
            steel,
            datetime.date(2023, 3, 20),
            "meeting",
            "甲期货产业服务部；钢铁集团采购中心",
            "企业有意愿但缺少套保制度",
            "安排制度建设专项辅导",
        ),
        (
            rubber,
            datetime.date(2023, 4, 8),
            "phone",
            "甲期货云南营业部；企业总经理",
            "介绍20号胶期货，企业关注交割品牌",
            "寄送交割指南",
        ),
        (
            chem,
            datetime.date(2023, 4, 12),
            "visit",
            "乙期货总经理；化工公司总会计师",
            "摸清障碍：审批流程、人员不足、考核顾虑",
            "每月电话回访，邀请参加沪上座谈",
        ),
        (
            chem,
            datetime.date(2023, 5, 18),
            "phone",
            "乙期货产业服务部；化工公司风控经理",
            "企业内部已提交衍生品业务可行性报告",
            "六月上门交流",
        ),
    ]
    for profile, day, channel, who, summary, nxt in log:
        actor = b_admin if profile.member_id == b_admin.organisation_id else a_contact
        services.contact_log_add(
            actor=actor,
            profile=profile,
            contact_date=day,
            channel=channel,
            participants=who,
            summary=summary,
            next_step=nxt,
        )

    # 1. Closed, costs paid: copper (trading) and rubber (willing), member A.
    closed = _plan(
        a_admin,
        FIRST_PLAN,
        [copper, rubber],
        [
            ("seminar", "铜期权套保策略研讨会（南昌）", datetime.date(2023, 5, 20), copper),
            ("training", "天然橡胶期货基础知识培训（昆明）", datetime.date(2023, 6, 10), rubber),
            ("exchange", "企业赴上期所交流座谈", datetime.date(2023, 9, 12), copper),
        ],
        [("场地及会务", "36000.00"), ("讲师及资料", "24000.00"), ("差旅", "18000.00")],
        "以江西铜企为示范发挥案例效应，同时为云南橡胶企业输出期货知识。",
    )
    services.plan_submit(actor=a_admin, plan=closed)
    services.plan_approve(actor=coordinator, plan=closed, pool=pool, amount="70000.00", note="差旅费用按标准核减")
    for activity, attendance in zip(closed.activities.order_by("planned_date"), (46, 38, 12), strict=True):
        services.activity_report(
            actor=a_contact,
            activity=activity,
            done_date=activity.planned_date,
            attendance=attendance,
            report=f"{activity.title}顺利举办，{attendance}人参加。",
        )
    services.plan_complete(
        actor=a_admin,
        plan=closed,
        summary="完成三项活动共96人次；铜业集团套保案例已整理，橡胶企业开始制定风险管理制度。",
    )
    allocation = allocation_for(closed)
    from django.core.files.base import ContentFile

    invoice = ContentFile(
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        name="发票-深耕计划.pdf",
    )
    invoice_register(
        allocation=allocation,
        number="23312000000088880001",
        amount="68500.00",
        issue_date=datetime.date(2023, 10, 9),
        file=invoice,
        actor=a_admin,
    )
    payment_record(
        allocation=allocation,
        payee_name=a_admin.organisation.name_zh,
        bank_name="中国工商银行上海分行",
        bank_account="1001200000012345678",
        amount="68500.00",
        paid_on=datetime.date(2023, 10, 20),
        reference="SHFE-2023-DP-001",
        actor=finance,
    )
    services.plan_close(actor=coordinator, plan=closed, note="费用已结清，未使用部分退回预算池")

    # 2. In progress with supervision notes: Shanghai steel (willing), member A.
    running = _plan(
        a_admin,
        "上海钢铁企业价格风险管理体系建设辅导",
        [steel],
        [
            ("training", "钢铁产业链套期保值实务培训", datetime.date(2023, 6, 28), steel),
            ("consultation", "套保制度建设专项辅导（三次）", datetime.date(2023, 9, 15), steel),
            ("seminar", "黑色系期货及期权应用座谈", datetime.date(2023, 11, 20), steel),
        ],
        [("培训会务", "20000.00"), ("专家辅导", "30000.00")],
        "帮助企业搭建价格风险管理体系，完成套保制度。",
    )
    services.plan_submit(actor=a_admin, plan=running)
    services.plan_approve(actor=coordinator, plan=running, pool=pool, amount="50000.00")
    first = running.activities.order_by("planned_date").first()
    services.activity_report(
        actor=a_contact,
        activity=first,
        done_date=first.planned_date,
        attendance=52,
        report="企业采购、销售、财务部门参加，反响良好。",
    )
    services.supervision_note_add(
        actor=regulator, plan=running, body="请期货公司按季度报送辅导进展，关注企业套保制度的审批与落地情况。"
    )
    services.supervision_note_add(actor=regulator, plan=running, body="已与企业座谈，企业对辅导评价积极。")

    # 3. Returned for revision: Shanghai petrochemical (obstacle), member B.
    returned = _plan(
        b_admin,
        "上海化工企业入市障碍调研与常态化沟通",
        [chem],
        [
            ("exchange", "企业高管座谈", datetime.date(2023, 7, 6), chem),
        ],
        [("调研及座谈", "15000.00")],
        "摸清企业入市障碍底数，建立常态化沟通联系。",
    )
    services.plan_submit(actor=b_admin, plan=returned)
    services.plan_return(
        actor=coordinator, plan=returned, comment="请补充每月沟通安排及障碍清单，明确需交易所协调的事项。"
    )

    # 4. Submitted, awaiting review: Zhejiang aluminium, member B (and more with --scale).
    for n in range(scale):
        suffix = f"（{n + 1}）" if n else ""
        submitted = _plan(
            b_admin,
            f"浙江铝加工企业期货知识系列培训{suffix}",
            [alu],
            [
                ("training", "铝期货及期权入门培训", datetime.date(2023, 8, 18), alu),
                ("training", "企业套保会计处理培训", datetime.date(2023, 10, 26), alu),
            ],
            [("培训会务", "12000.00"), ("讲师", "8000.00")],
            "输出期货市场原理知识，为企业套保做准备。",
        )
        services.plan_submit(actor=b_admin, plan=submitted)

    # 5. Draft, member A.
    _plan(
        a_admin,
        "江西铜企期权工具深化应用（草稿）",
        [copper],
        [
            ("seminar", "铜期权进阶研讨", datetime.date(2023, 11, 8), copper),
        ],
        [("会务", "10000.00")],
        "推动企业使用期权工具。",
    )
