"""Demo hotline calls for ``manage.py seed_demo``, logged through the real services by the
Market Service Center; a few need a follow-up. Idempotent: nothing is added when calls exist.
The number itself is seeded by migration (800-820-3618); the announced 400 number is left for
staff to record when it takes effect."""

from __future__ import annotations

import datetime
from typing import IO

from django.utils import timezone

from huifu.accounts.models import User, UserKind
from huifu.directory.models import DepartmentKind, Organisation, OrganisationKind

from . import services
from .models import HotlineCall

CALLS = [
    ("陈先生", "trading", "夜盘交易时间是否有调整计划？", "已告知以交易所公告为准。", False),
    ("刘女士", "fees", "交易手续费减收项目如何申请？", "已介绍综合业务平台减收安排。", True),
    ("周经理", "delivery", "铜期货新增交割库的申请条件是什么？", "", True),
    ("吴先生", "education", "想参加“期货大讲堂”培训，如何报名？", "已告知报名方式。", False),
    ("郑女士", "feedback", "会员之声反馈表发送后多久能得到回复？", "两周内回复。", False),
]


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:
    if HotlineCall.objects.exists():
        if stdout:
            stdout.write("hotline: nothing to do")
        return
    staff = User.objects.filter(kind=UserKind.STAFF, is_active=True).select_related("department")
    logger = (
        staff.filter(department__kind=DepartmentKind.MARKET_SERVICE_CENTER).first()
        or staff.filter(department__kind=DepartmentKind.COORDINATOR).first()
    )
    owner = staff.filter(department__kind=DepartmentKind.BUSINESS).first() or logger
    if logger is None:
        return
    companies = list(Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).order_by("pk")[:5])
    count = 0
    for round_ in range(max(scale, 1)):
        for i, (caller, topic, question, answer, follow_up) in enumerate(CALLS):
            services.call_log(
                actor=logger,
                caller_name=caller,
                caller_phone=f"021-6880{(round_ * 10 + i):04d}",
                organisation=companies[i % len(companies)] if companies and i % 2 == 0 else None,
                company_name="" if i % 2 == 0 else "某投资咨询公司",
                topic=topic,
                question=question,
                answer=answer,
                follow_up_needed=follow_up,
                follow_up_owner=owner if follow_up else None,
                received_at=timezone.now() - datetime.timedelta(hours=3 * (i + 1) + 24 * round_),
            )
            count += 1
    if stdout:
        stdout.write(f"hotline: {count} calls")
