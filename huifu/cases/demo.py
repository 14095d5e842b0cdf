"""Demo cases for ``manage.py seed_demo``: three published industry-service cases, one written
from the closed demo deep-cultivation plan. Idempotent (matched by title)."""

from __future__ import annotations

from typing import IO

from django.db import transaction

from huifu.accounts.models import User
from huifu.directory.models import Organisation

from . import services
from .models import Case, CaseAudience

DOMAIN = "demo.huifu.example"

CASES = [
    {
        "title": "江西某铜业集团：铜期权助力稳定加工利润",
        "summary": "期货公司一对一服务，企业以买入看跌期权替代部分期货空头，锁定加工利润并保留上涨收益。",
        "body": "背景\n\n江西某铜业集团年加工阴极铜数十万吨，原以期货空头套保为主，保证金占用较大。\n\n做法\n\n"
        "甲期货在企业深耕计划中组织铜期权套保策略研讨会，结合企业库存周期设计“期货＋期权”组合方案，"
        "并协助企业完善内部审批流程。\n\n成效\n\n企业二季度套保保证金占用下降约三成，加工利润波动明显收窄。",
        "industry": "有色金属",
        "products": ["铜", "铜期权"],
        "enterprise": "江西某铜业集团有限公司",
        "label": "江西某铜业集团",
        "audience": CaseAudience.PUBLIC,
        "plan": "江西铜产业链企业深耕计划",
    },
    {
        "title": "某钢铁集团：从零搭建价格风险管理体系",
        "summary": "针对有意愿未入市的钢铁企业，期货公司以培训和专项辅导帮助企业制定套期保值制度。",
        "body": "背景\n\n企业原材料和产成品价格波动大，但缺少衍生品业务制度和专职人员。\n\n做法\n\n"
        "期货公司分三阶段开展培训、制度起草辅导和模拟套保演练，上海证监局跟进督导。\n\n成效\n\n"
        "企业完成套期保值管理办法初稿，设立期货业务小组。",
        "industry": "钢铁",
        "products": ["螺纹钢", "热轧卷板"],
        "enterprise": "上海某钢铁集团有限公司",
        "label": "某钢铁集团",
        "audience": CaseAudience.MEMBERS,
        "plan": None,
    },
    {
        "title": "云南某橡胶加工企业：走近20号胶期货",
        "summary": "通过产地培训和交割仓库参观，企业了解20号胶期货定价与交割规则，开始参考期货价格定价。",
        "body": "背景\n\n企业位于天然橡胶产区，现货采购长期随行就市。\n\n做法\n\n期货公司在昆明组织天然橡胶期货基础培训，"
        "讲解20号胶合约与交割品牌注册流程。\n\n成效\n\n企业开始以期货价格为基准与上游签订点价合同。",
        "industry": "天然橡胶",
        "products": ["天然橡胶", "20号胶"],
        "enterprise": "云南某橡胶加工有限公司",
        "label": "云南某橡胶加工企业",
        "audience": CaseAudience.PUBLIC,
        "plan": None,
    },
]


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:
    from huifu.deepening.models import DeepeningPlan

    coordinator = User.objects.filter(email=f"coordinator@{DOMAIN}").first()
    if coordinator is None:
        if stdout:
            stdout.write("cases: demo users missing; skipped\n")
        return
    made = 0
    with transaction.atomic():
        for spec in CASES:
            if Case.objects.filter(title=spec["title"]).exists():
                continue
            source = DeepeningPlan.objects.filter(title=spec["plan"]).first() if spec["plan"] else None
            case = services.case_create_draft(
                actor=coordinator,
                title=spec["title"],
                summary=spec["summary"],
                body=spec["body"],
                industry=spec["industry"],
                products=spec["products"],
                enterprise=Organisation.objects.filter(name_zh=spec["enterprise"]).first(),
                enterprise_label=spec["label"],
                audience=spec["audience"],
                source=source,
            )
            services.case_publish(actor=coordinator, case=case)
            made += 1
    if stdout:
        stdout.write(f"cases: {made} published\n")
