"""Demo data: the 2023 budget pool (5,000,000.00 CNY, 会员管理部), the 2023 activity types, the
guideline notice, and about fifteen activities in every state, built through the real services.
Idempotent: does nothing if the 2023 pool already exists."""

from __future__ import annotations

import datetime
from typing import IO, Any

from django.core.files.uploadedfile import SimpleUploadedFile

from huifu.accounts.models import User
from huifu.budget.models import Allocation, BudgetPool
from huifu.budget.services import invoice_register, payment_record, pool_create
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind

from . import services
from .models import ActivityKind

YEAR = 2023
DOMAIN = "demo.huifu.example"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000"
    "1ff89993d1d0000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# Chinese name → English name (shown to readers in English).
ENGLISH_NAMES = {
    "大型论坛": "Large forum",
    "投资者报告会": "Investor report meeting",
    "小型产业沙龙": "Small industry salon",
    "校园人才培养": "Campus talent cultivation",
    "调研": "Research visit",
    "线上直播": "Online live stream",
    "专项活动": "Special activity",
}
CAMPUS_DESCRIPTION = (
    "投资者教育纳入国民教育体系：会员单位发起、在高校举办的期货知识普及与人才培育活动。会员申请——交易所甄选方案"
    "——从合作举办市场活动预算中统筹支持——甄选成果进行宣传。申请须注明举办高校。"
)
# Campus activities: the university where each is held (directory names).
CAMPUS_UNIVERSITIES = {
    "上海财经大学期货人才培养周": "上海财经大学",
    "高校期货知识讲座": "复旦大学",
    "走进同济大学：期货与衍生品公开课": "同济大学",
}

TYPES = [
    (
        ActivityKind.FORUM,
        "大型论坛",
        "500000",
        {"场地费": "200000", "专家费": "100000"},
        ["theme", "speakers", "audience_expected", "budget_lines"],
    ),
    (ActivityKind.INVESTOR_REPORT, "投资者报告会", "150000", {"场地费": "60000"}, ["speakers", "budget_lines"]),
    (ActivityKind.SALON, "小型产业沙龙", "60000", {"场地费": "20000"}, ["theme", "budget_lines"]),
    (ActivityKind.CAMPUS, "校园人才培养", "100000", {}, ["audience_expected", "budget_lines"]),
    (ActivityKind.RESEARCH, "调研", "50000", {"差旅费": "30000"}, ["plan"]),
    (ActivityKind.LIVE_STREAM, "线上直播", "40000", {"平台费": "20000"}, ["speakers"]),
    (ActivityKind.SPECIAL, "专项活动", "300000", {}, ["theme", "plan", "budget_lines"]),
]
THEMES = ["服务实体经济", "期权工具推广", "航运指数期货", "绿色低碳"]

# title, type name, organiser key, month, final state, approved amount
ACTIVITIES = [
    ("2023年有色金属产业链风险管理论坛", "大型论坛", "member-a-admin", 4, "closed", "380000"),
    ("铜期权投资者报告会", "投资者报告会", "member-a-admin", 5, "paid", "90000"),
    ("天然橡胶产业沙龙（西双版纳）", "小型产业沙龙", "association", 6, "invoiced", "45000"),
    ("上海财经大学期货人才培养周", "校园人才培养", "member-b-admin", 5, "summary_accepted", "80000"),
    ("螺纹钢现货企业调研", "调研", "member-b-admin", 6, "summary_submitted", "30000"),
    ("原油期货线上直播：地缘与油价", "线上直播", "member-a-admin", 7, "summary_returned", "30000"),
    ("服务实体经济专项：铝产业链套保培训", "专项活动", "association", 7, "held", "200000"),
    ("黄金期权投资者报告会（杭州）", "投资者报告会", "member-b-admin", 9, "approved", "100000"),
    ("锌产业链沙龙", "小型产业沙龙", "member-a-admin", 9, "submitted", None),
    ("纸浆期货产业论坛", "大型论坛", "association", 10, "returned", None),
    ("期权工具推广专项直播", "线上直播", "member-b-admin", 10, "rejected", None),
    ("沥青期货华东调研", "调研", "member-a-admin", 11, "draft", None),
    ("集运指数期货上市一周年论坛", "大型论坛", "member-b-admin", 8, "paid", "420000"),
    ("不锈钢产业沙龙（佛山）", "小型产业沙龙", "member-b-admin", 8, "closed", "50000"),
    ("高校期货知识讲座", "校园人才培养", "association", 11, "submitted", None),
]
# Added with the university programme (issue 12): a member-initiated campus activity awaiting
# selection. Kept apart so the list above (and what earlier demos showed) stays as it was.
CAMPUS_ACTIVITIES = [
    ("走进同济大学：期货与衍生品公开课", "校园人才培养", "member-a-admin", 11, "submitted", None),
]
ORDER = [
    "draft",
    "submitted",
    "returned",
    "approved",
    "held",
    "summary_submitted",
    "summary_returned",
    "summary_accepted",
    "invoiced",
    "paid",
    "closed",
]


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DOMAIN}").first()


def _reached(final: str, state: str) -> bool:
    if final in ("rejected", "returned"):
        return state == "submitted"
    return ORDER.index(final) >= ORDER.index(state)


def _build(spec: tuple, types: dict[str, Any], pool: BudgetPool, people: dict[str, User], n: int) -> None:
    title, type_name, who, month, final, approved = spec
    actor, coordinator, finance = people[who], people["coordinator"], people["finance"]
    t = types[type_name]
    day = datetime.date(YEAR, month, 10 + n % 15)
    lines = [
        ("场地费", str(min(60000, int(t.cap_per_activity) // 3))),
        ("专家费", str(int(t.cap_per_activity) // 6)),
        ("宣传费", str(int(t.cap_per_activity) // 5)),
    ]
    total = sum(int(a) for _i, a in lines)
    university = None
    if title in CAMPUS_UNIVERSITIES:
        university = (
            Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY, name_zh=CAMPUS_UNIVERSITIES[title]).first()
            or Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).order_by("pk").first()
        )
    a = services.activity_create(
        actor=actor,
        activity_type=t,
        university=university,
        title=title,
        theme=THEMES[n % 2],
        plan="活动方案：开幕致辞、主题演讲、圆桌讨论、交流。",
        starts_on=day,
        ends_on=day,
        venue="上海国际会议中心" if n % 3 else "",
        online=not n % 3,
        speakers="上期所专家、行业研究员",
        co_organisers="当地行业协会",
        audience_expected={"industry": 80 + n * 5, "institutions": 20, "individuals": 40, "students": 10 * (n % 3)},
        lines=lines,
    )
    if final == "draft":
        return
    a = services.activity_submit(actor=actor, activity=a)
    if final == "returned":
        services.activity_return(actor=coordinator, activity=a, comment="请补充嘉宾名单和预算明细依据。")
        return
    if final == "rejected":
        services.activity_reject(actor=coordinator, activity=a, reason="与本年度活动重点不符。")
        return
    if final == "submitted":
        return
    amount = min(int(approved), total)
    a = services.activity_approve(actor=coordinator, activity=a, pool=pool, amount=str(amount))
    if not _reached(final, "held"):
        return
    a = services.activity_mark_held(actor=actor, activity=a)
    services.activity_file_add(
        actor=actor, activity=a, role="photo", upload=SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    )
    if not _reached(final, "summary_submitted"):
        return
    attendance = {"industry": 90 + n * 4, "institutions": 18, "individuals": 35}
    a = services.activity_summary_submit(
        actor=actor,
        activity=a,
        actual_attendance=attendance,
        summary="活动如期举办，产业客户参与踊跃，会后形成交流纪要。",
        media_links="https://www.shfe.com.cn/news/",
    )
    if final == "summary_submitted":
        return
    if final == "summary_returned":
        services.activity_summary_review(
            actor=coordinator, activity=a, accept=False, comment="请补充会议议程与签到表。"
        )
        return
    a = services.activity_summary_review(actor=coordinator, activity=a, accept=True)
    if not _reached(final, "invoiced"):
        return
    allocation = Allocation.objects.get(target_id=str(a.pk), target_type__model="activity")
    invoice_register(
        allocation=allocation,
        number=f"3100{YEAR}{a.pk:012d}",
        amount=str(amount),
        issue_date=day + datetime.timedelta(days=12),
        actor=actor,
        file=SimpleUploadedFile("发票.pdf", PDF, content_type="application/pdf"),
    )
    if not _reached(final, "paid"):
        return
    payment_record(
        allocation=allocation,
        actor=finance,
        payee_name=a.organisation.name_zh,
        bank_name="中国工商银行上海分行",
        bank_account=f"1001{a.pk:012d}",
        amount=str(amount),
        paid_on=day + datetime.timedelta(days=20),
        reference=f"SHFE{YEAR}{a.pk:06d}",
    )
    if final == "closed":
        services.activity_close(actor=coordinator, activity=a.__class__.objects.get(pk=a.pk))


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    if BudgetPool.objects.filter(year=YEAR, name="合作举办市场活动").exists():
        return
    people = {k: _user(k) for k in ("coordinator", "finance", "member-a-admin", "member-b-admin", "association")}
    department = Department.objects.filter(kind=DepartmentKind.COORDINATOR).first()
    if department is None or any(u is None for u in people.values()):
        if stdout:
            stdout.write("activities: demo users or departments missing; skipped\n")
        return
    coordinator = people["coordinator"]
    pool = pool_create(
        year=YEAR,
        name="合作举办市场活动",
        amount=str(5_000_000 * scale),
        department=department,
        actor=coordinator,
        note="含企业深耕计划费用（同一预算流程）",
    )
    types = {}
    for i, (kind, name, cap, caps, required) in enumerate(TYPES):
        types[name] = services.type_save(
            actor=coordinator,
            year=YEAR,
            kind=kind,
            name=name,
            name_en=ENGLISH_NAMES.get(name, ""),
            description=CAMPUS_DESCRIPTION if kind == ActivityKind.CAMPUS else "",
            cap_per_activity=cap,
            line_caps=caps,
            required_fields=required,
            priority_themes=THEMES if kind == ActivityKind.SPECIAL else [],
        )
        types[name].sort_order = i
        types[name].save(update_fields=["sort_order"])
    services.guideline_publish(
        year=YEAR,
        actor=coordinator,
        title="2023年合作举办市场活动指引",
        body="各会员单位、行业协会：\n\n今年合办活动主题将继续围绕服务实体经济发展、深化市场运行质量和影响力，提高产业客户"
        "市场参与度。活动类型包括大型论坛、投资者报告会、小型产业沙龙、校园人才培养、调研、线上直播及专项活动。\n\n"
        "操作流程：会员单位/行业协会发起申请——交易所审批活动——合作对象举办活动并提交总结材料——交易所审核并进行费用报销"
        "——甄选产业服务案例并宣传。\n\n待收取合作对象开具的发票后，交易所以对公转账的方式向合作对象支付活动经费。",
    )
    for n, spec in enumerate(ACTIVITIES * scale if scale > 1 else ACTIVITIES):
        if scale > 1 and n >= len(ACTIVITIES):
            spec = (f"{spec[0]}（第{n // len(ACTIVITIES) + 1}场）", *spec[1:])
        _build(spec, types, pool, people, n)
    for n, spec in enumerate(CAMPUS_ACTIVITIES, start=len(ACTIVITIES) * scale):
        _build(spec, types, pool, people, n)
    if stdout:
        stdout.write(f"activities: pool, {len(types)} types, guideline, {len(ACTIVITIES) * scale} activities\n")
