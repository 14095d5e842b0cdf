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


def seed(scale: int = 1, stdout: Any = None) -> None:
    from huifu.accounts.models import User, UserKind
    from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
    from huifu.servicedesk import services
    from huifu.servicedesk.models import FeedbackForm, Topic
    from huifu.workdays.engine import CHINA_TZ

    if FeedbackForm.objects.filter(idempotency_key__startswith="demo-").exists():
        if stdout:
            stdout.write("servicedesk: demo data present")
        return
    coordinator = User.objects.filter(kind=UserKind.STAFF, department__kind=DepartmentKind.COORDINATOR).first()
    staff = User.objects.filter(kind=UserKind.STAFF, department__kind=DepartmentKind.BUSINESS).first() or coordinator
    dept = Department.objects.filter(kind=DepartmentKind.BUSINESS).first()
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).order_by("pk")[:8])
    if coordinator is None or dept is None or not orgs:
        if stdout:
            stdout.write("servicedesk: skipped (no coordinator, department or member company)")
        return
    now = timezone.now()
    made = []
    for n in range(6 * max(scale, 1)):
        org = orgs[n % len(orgs)]
        user = User.objects.filter(organisation=org, kind=UserKind.MEMBER, is_active=True).first()
        received = now - datetime.timedelta(days=3 + 5 * n)
        form = services.feedback_submit(
            organisation=org,
            actor=None,
            contact_name=(user.full_name if user else "") or "业务联系人",
            phone=(user.phone if user else "") or "021-68400000",
            email=(user.email if user else org.email) or "contact@demo.huifu.example",
            form_date=received.astimezone(CHINA_TZ).date(),
            suggestions=[TEXTS[(2 * n) % len(TEXTS)], TEXTS[(2 * n + 4) % len(TEXTS)]],
            help_requests=[TEXTS[(n + 7) % len(TEXTS)]],
            channel="portal",
            received_at=received,
            idempotency_key=f"demo-{n}",
        )
        made.append(form)
    topic = Topic.objects.filter(name="交割库容").first() or services.topic_create(
        name="交割库容", description="交割仓库库容相关意见", actor=coordinator
    )
    for i, form in enumerate(made):
        for item in form.items.all():
            if i % 3 != 2:
                services.item_assign(item=item, owner=staff, departments=[dept], actor=coordinator)
            if "库容" in item.text:
                services.item_set_topics(item=item, topics=[topic], actor=coordinator)
        if i % 3 == 0:
            for item in form.items.all():
                services.answer_draft(
                    item=item, department=dept, text="经研究，交易所将结合市场需求在年内优化相关安排。", actor=staff
                )
            reply = services.reply_compose(form=form, mode="written", actor=coordinator)
            services.reply_approve_send(reply=reply, actor=coordinator)
        elif i == 1:
            services.feedback_pause(form=form, reason="请说明所涉及的具体交割仓库及品种", actor=coordinator)
    if stdout:
        stdout.write(f"servicedesk: {len(made)} feedback forms")
