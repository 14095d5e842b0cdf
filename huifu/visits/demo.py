"""Demo visits for ``manage.py seed_demo``: requests from demo member companies and one visit
letter, in different states, built through the real services. Idempotent: nothing is added
when the demo organisations already have visits. ``scale`` multiplies the number of requests.

Demo seeding writes no e-mail: the outbox rows written by arrangements are left pending for the
outbox worker, as in production; seed_demo runs with the locmem/console backend.
"""

from __future__ import annotations

import datetime
from typing import IO
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from huifu.accounts.models import User, UserKind
from huifu.directory.models import DepartmentKind, OrganisationKind

from . import services
from .models import VisitRequest

SHANGHAI = ZoneInfo("Asia/Shanghai")
LETTER_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

PURPOSES = [
    ("交流期权做市业务开展情况，了解交易所对做市商的支持政策", "期权做市；做市商评价"),
    ("拜访交易所会员管理部，沟通“强源助企”项目申报事宜", "强源助企；项目申报"),
    ("就铜、铝期货交割库布局及仓单业务进行交流", "交割库布局；标准仓单"),
    ("介绍公司风险管理子公司业务，探讨服务实体企业合作", "风险管理子公司；服务实体经济"),
]


def _users() -> tuple[User | None, list[User]]:
    staff = User.objects.filter(kind=UserKind.STAFF, is_active=True).select_related("department")
    coordinator = staff.filter(department__kind=DepartmentKind.COORDINATOR).order_by("pk").first()
    return coordinator, list(staff.order_by("pk")[:3])


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:
    members = list(
        User.objects.filter(kind__in=[UserKind.MEMBER, UserKind.PARTNER], is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("pk")
    )
    if not members or VisitRequest.objects.exists():
        if stdout:
            stdout.write("visits: nothing to do")
        return
    coordinator, attendees = _users()
    msc = User.objects.filter(kind=UserKind.STAFF, department__kind=DepartmentKind.MARKET_SERVICE_CENTER).first()
    created = 0
    for i in range(4 * max(scale, 1)):
        user = members[i % len(members)]
        purpose, topics = PURPOSES[i % len(PURPOSES)]
        visit = services.visit_request_submit(
            actor=user,
            purpose=purpose,
            proposed_dates=f"{(timezone.localdate() + datetime.timedelta(days=7 + i)):%m月%d日}上午或下午",
            visitors=f"{user.full_name or '来访人'} 总经理\n王研究员 研究所",
            visitor_count=2,
            topics=topics,
        )
        created += 1
        if coordinator is None or i % 4 == 0:
            continue  # left waiting for an arrangement
        start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0) + datetime.timedelta(
            days=10 + i
        )
        visit = services.visit_arrange(
            actor=coordinator,
            visit=visit,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            place="上海期货大厦 9楼第二会议室",
            agenda="1. 来访单位介绍\n2. 交易所相关业务介绍\n3. 交流讨论",
            attendees=attendees,
        )
        if i % 4 == 2:
            services.visit_confirm(actor=user, visit=visit)
        elif i % 4 == 3:
            services.visit_request_change(actor=user, visit=visit, reason="希望调整到同一周的上午")
    org = next((u.organisation for u in members if u.organisation.kind == OrganisationKind.FUTURES_COMPANY), None)
    if org is not None and msc is not None:
        letter = ContentFile(LETTER_PDF, name="拜访函.pdf")
        services.visit_letter_register(
            actor=msc,
            organisation=org,
            letter=letter,
            received_at=timezone.now() - datetime.timedelta(hours=3),
            purpose="拟拜访交易所，交流2024年会员服务需求",
            proposed_dates="下周二下午",
            visitors="赵总 副总经理\n钱经理 经纪业务部",
            visitor_count=2,
            topics="会员服务需求；投资者教育合作",
            contact_name="钱经理",
            contact_email="qian@example.com",
        )
        created += 1
    if stdout:
        stdout.write(f"visits: {created} visit requests")
