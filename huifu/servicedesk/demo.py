"""Demo data: realistic Member Voice feedback from the demo member companies — some answered,
some overdue, one waiting for the member, a topic with a collective answer. Idempotent;
``scale`` multiplies the number of forms."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

TEXTS = [
    "建议交易所扩大铜期货交割库容，缓解华东地区交割仓库紧张问题",
    "希望增加铝期货在广东地区的交割仓库库容",
    "建议适当降低螺纹钢期货近月合约交易保证金比例",
    "建议优化保证金收取标准，对套期保值客户给予保证金优惠",
    "建议下调期权做市商交易手续费，提升期权市场流动性",
    "希望交易所对做市商考核指标进行优化，增加夜盘时段的报价要求说明",
    "建议降低原油期货交割手续费，吸引更多产业客户参与交割",
    "希望协助解决交易系统接口升级后测试环境不稳定的问题",
    "建议提前发布交易系统接口规范变更通知，预留充足的开发测试时间",
    "希望交易所协助推动银行期货保证金存管业务的线上化办理",
    "建议增加天然橡胶期权合约的行权价格数量",
    "希望协助对接仓单质押融资业务的合作银行",
]


# What happens to the n-th demo form (cycled): the mix a real desk shows on a given day.
PLAN = [
    "replied",  # written reply sent on time, rated by the member
    "paused",  # waiting for the member's clarification (clock stopped)
    "new",  # just received, nobody assigned yet
    "replied_late",  # written reply sent after the two weeks
    "assigned",  # assigned to two departments, overdue, one answer drafted
    "meeting",  # answered in a one-to-one online meeting
]


def seed(scale: int = 1, stdout: Any = None) -> None:
    """Demo forms from the demo member companies in every state (new, assigned across two
    departments, waiting for the member, answered in writing on time and late, answered in a
    meeting, overdue), a topic with a collective answer, satisfaction ratings. Idempotent: each
    form is submitted with a fixed idempotency key and only moved on while it is fresh."""
    from huifu.accounts.models import User, UserKind
    from huifu.accounts.system import system_actor
    from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
    from huifu.servicedesk import services
    from huifu.servicedesk.models import AnswerMode, CollectiveAnswer, FormStatus, Topic
    from huifu.workdays.engine import CHINA_TZ

    coordinator = User.objects.filter(kind=UserKind.STAFF, department__kind=DepartmentKind.COORDINATOR).first()
    staff = User.objects.filter(kind=UserKind.STAFF, department__kind=DepartmentKind.BUSINESS).first() or coordinator
    depts = list(
        Department.objects.filter(kind__in=[DepartmentKind.BUSINESS, DepartmentKind.MARKET_SERVICE_CENTER]).order_by(
            "pk"
        )[:2]
    )
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).order_by("pk")[:8])
    if coordinator is None or not depts or not orgs:
        if stdout:
            stdout.write("servicedesk: skipped (no coordinator, department or member company)")
        return
    dept = staff.department if staff is not None and staff.department_id else depts[0]
    second = next((d for d in depts if d.pk != dept.pk), None)
    topic = Topic.objects.filter(name="交割库容").first() or services.topic_create(
        name="交割库容", description="交割仓库库容相关意见", actor=coordinator
    )
    now = timezone.now()
    made = moved = 0
    for n in range(6 * max(scale, 1)):
        org = orgs[n % len(orgs)]
        member = User.objects.filter(organisation=org, kind=UserKind.MEMBER, is_active=True).order_by("pk").first()
        plan = PLAN[n % len(PLAN)]
        received = now - datetime.timedelta(days={"new": 1, "paused": 6, "replied": 9, "meeting": 10}.get(plan, 16 + n))
        form = services.feedback_submit(
            organisation=org,
            actor=system_actor(),
            contact_name=(member.full_name if member else "") or "业务联系人",
            phone=(member.phone if member else "") or "021-68400000",
            email=(member.email if member else org.email) or "contact@demo.huifu.example",
            form_date=received.astimezone(CHINA_TZ).date(),
            suggestions=[TEXTS[(2 * n) % len(TEXTS)], TEXTS[(2 * n + 4) % len(TEXTS)]],
            help_requests=[TEXTS[(n + 7) % len(TEXTS)]],
            channel="portal" if n % 4 else "docx",
            received_at=received,
            idempotency_key=f"demo-{n}",
        )
        made += 1
        if form.status != FormStatus.SUBMITTED or plan == "new":
            continue  # already moved on by an earlier run (or meant to stay new)
        moved += 1
        items = list(form.items.all())
        for item in items:
            departments = [dept, second] if plan == "assigned" and second is not None else [dept]
            services.item_assign(item=item, owner=staff, departments=departments, actor=coordinator)
            if "库容" in item.text:
                services.item_set_topics(item=item, topics=[topic], actor=coordinator)
        if plan == "paused":
            services.feedback_pause(form=form, reason="请说明所涉及的具体交割仓库及品种", actor=coordinator)
            continue
        if plan == "assigned":
            services.answer_draft(
                item=items[0], department=dept, text="本部门正在研究，拟于下月给出意见。", actor=staff
            )
            continue
        for item in items:
            services.answer_draft(
                item=item, department=dept, text="经研究，交易所将结合市场需求在年内优化相关安排。", actor=staff
            )
        if plan == "meeting":
            reply = services.reply_compose(
                form=form,
                mode=AnswerMode.MEETING,
                actor=coordinator,
                meeting_at=now + datetime.timedelta(days=3),
                meeting_link="https://meeting.example.cn/j/123456789",
                attendees="会员管理部、相关业务部门负责人",
            )
        else:
            reply = services.reply_compose(form=form, mode=AnswerMode.WRITTEN, actor=coordinator)
        services.reply_approve_send(reply=reply, actor=coordinator)
        if member is not None and plan in ("replied", "meeting"):
            services.satisfaction_record(
                reply=reply, rating=5 if plan == "replied" else 4, comment="答复清楚，感谢。", actor=member
            )
    if not CollectiveAnswer.objects.filter(topic=topic).exists():
        services.collective_publish(
            topic=topic,
            mode=AnswerMode.WRITTEN,
            title="关于交割仓库库容问题的统一答复",
            text="交易所已于近期新增华东、华南地区交割仓库库容，后续将根据市场需求动态调整。",
            actor=coordinator,
        )
    if stdout:
        stdout.write(f"servicedesk: {made} demo feedback forms ({moved} moved on in this run)")
