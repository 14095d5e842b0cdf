"""Demo data for ``manage.py seed_demo``: the 2023 excellent analyst (team) selection, run through
the real services at its 2023 dates (the clock is set to each step's moment, so every timestamp,
window and deadline check is the one it would have been): the plan notice, a team category
(normalised judging) and a blind individual category, applications by futures companies A and B
confirmed by their admins, a panel of three judges (an INE chair, a business-department member
of staff who worked for company B until 2022 and is recused from its applications, an external
expert), scores, results, the expert review and the winners published 排名不分先后 with their
certificates. Idempotent: nothing is done when the 2023 selection exists."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import IO
from unittest import mock
from zoneinfo import ZoneInfo

from huifu.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from huifu.accounts.models import User, UserKind
from huifu.awards.services import BonusSpec, IndicatorInput

from . import services
from .models import ApplicantKind, PhaseKind, Selection

YEAR = 2023
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _t(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


PHASES = {
    PhaseKind.APPLICATION: (_t(2023, 11, 8, 9), _t(2023, 11, 30, 17)),
    PhaseKind.UPLOAD: (_t(2023, 12, 1, 9), _t(2023, 12, 8, 17)),
    PhaseKind.SCORING: (_t(2023, 12, 11, 9), _t(2023, 12, 22, 17)),
    PhaseKind.REVIEW: (_t(2023, 12, 25, 9), _t(2024, 1, 5, 17)),
    PhaseKind.PUBLICATION: (_t(2024, 1, 8, 9), _t(2024, 1, 19, 17)),
}

PLAN = (
    "为树立榜样、提升从业人员素质，上海期货交易所组织开展2023年度优秀分析师（团队）评选。"
    "会员单位可推荐本单位投研分析师个人或团队参评，每一参评对象限报一个奖项；评选依据投研分析师（团队）"
    "服务实体经济的能力，由评审组打分，并结合“大宗商品月月谈”授课和公开发布的研究成果综合评定。"
    "申请须经会员单位确认（盖章）。获奖名单排名不分先后。"
)


@contextmanager
def at(moment: datetime.datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _rubric() -> list[IndicatorInput]:
    return [
        IndicatorInput("research", "研究深度与准确性", "Depth and accuracy of research", Decimal(35), source="judges"),
        IndicatorInput("service", "服务实体经济成效", "Service to the real economy", Decimal(45), source="judges"),
        IndicatorInput(
            "reports",
            "公开发布研究成果",
            "Research published",
            Decimal(20),
            source="computed",
            metric="analyst_reports",
        ),
    ]


def _bonus() -> list[BonusSpec]:
    return [BonusSpec("analyst_talks", "“大宗商品月月谈”授课", "Talks in the monthly commodity talk", Decimal(3))]


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


def _expert() -> User:
    email = f"expert-zhou@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name="周教授", kind=UserKind.PUBLIC)
    return user


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    if Selection.objects.filter(year=YEAR).exists():
        if stdout:
            stdout.write("selections: the 2023 selection exists; nothing to do")
        return
    manager = _user("coordinator")
    staff_judge = _user("dept-staff")
    chair = _user("ine")
    admin_a = _user("member-a-admin")
    admin_b = _user("member-b-admin")
    if None in (manager, staff_judge, chair, admin_a, admin_b):
        if stdout:
            stdout.write("selections: demo users missing (run the accounts demo first); skipped")
        return
    expert = _expert()
    org_b = admin_b.organisation

    with at(_t(2023, 11, 6, 10)):
        selection = services.selection_create(
            actor=manager,
            year=YEAR,
            title="2023年度优秀分析师（团队）评选",
            department=manager.department,
            phases=PHASES,
        )
        schemes = {
            code: services.rubric_create(
                actor=manager, selection=selection, category_code=code, indicators=_rubric(), bonus_items=_bonus()
            )
            for code in ("team", "metal")
        }
        team = services.category_create(
            actor=manager,
            selection=selection,
            scheme=schemes["team"],
            code="team",
            name_zh="优秀分析师团队",
            name_en="Excellent analyst team",
            applicant_kind=ApplicantKind.TEAM,
            normalise=True,
            normalise_min_scores=3,
            quota_rounding="ceil",
        )
        metal = services.category_create(
            actor=manager,
            selection=selection,
            scheme=schemes["metal"],
            code="metal",
            name_zh="有色金属优秀分析师",
            name_en="Excellent non-ferrous metals analyst",
            applicant_kind=ApplicantKind.INDIVIDUAL,
            blind=True,
            quota_rounding="ceil",
        )
        for category in (team, metal):
            services.panel_member_add(actor=manager, category=category, user=chair, role="chair")
            services.panel_member_add(actor=manager, category=category, user=staff_judge)
            services.panel_member_add(actor=manager, category=category, user=expert)
        services.judge_employment_add(
            actor=manager,
            user=staff_judge,
            organisation=org_b,
            started_on=datetime.date(2016, 7, 1),
            ended_on=datetime.date(2022, 3, 31),
        )
        services.plan_publish(actor=manager, selection=selection, body=PLAN, doc_number="上期发〔2023〕128号")

    entries = [
        (
            admin_a,
            team,
            "甲期货黑色金属研究团队",
            [("陈明", "Z0015321"), ("林晓", "Z0016876"), ("郭涛", "Z0019012")],
            (88, 90),
        ),
        (admin_a, team, "甲期货能源化工团队", [("孙悦", "Z0017754"), ("马骏", "Z0018230")], (82, 84)),
        (admin_b, team, "乙期货农产品研究团队", [("何静", "Z0013398"), ("罗斌", "Z0014470")], (86, 83)),
        (admin_b, team, "乙期货宏观策略团队", [("韩雪", "Z0012265"), ("唐磊", "Z0020118")], (78, 80)),
        (admin_a, metal, "", [("周凯", "Z0011987")], (91, 87)),
        (admin_b, metal, "", [("吴桐", "Z0016643")], (84, 86)),
        (admin_b, metal, "", [("郑宇", "Z0019576")], (80, 79)),
    ]
    applications = []
    for day, (admin, category, team_name, people, marks) in enumerate(entries):
        with at(_t(2023, 11, 13 + day, 10)):
            members = [
                {"full_name": name, "certificate_no": cert, "is_leader": index == 0}
                for index, (name, cert) in enumerate(people)
            ]
            application = services.application_create(
                actor=admin,
                category=category,
                kind=category.applicant_kind,
                team_name=team_name,
                summary="围绕产业客户风险管理需求，开展套期保值方案设计、基差贸易培训和产业调研，"
                "全年为实体企业提供定制化研究服务。",
                members=members,
            )
            services.application_submit(actor=admin, application=application)
        with at(_t(2023, 11, 14 + day, 15)):
            services.application_confirm(actor=admin, application=application)
        applications.append((application, marks))

    offsets = {chair.pk: Decimal(0), staff_judge.pk: Decimal(-6), expert.pk: Decimal(3)}
    with at(_t(2023, 12, 15, 14)):
        from .permissions import is_recused, panel_member

        for application, (research, service) in applications:
            for judge in (chair, staff_judge, expert):
                member = panel_member(judge, application.category)
                if is_recused(member, application):
                    continue
                shift = offsets[judge.pk]
                services.scores_submit(
                    actor=judge,
                    application_id=application.pk,
                    values={"research": Decimal(research) + shift, "service": Decimal(service) + shift},
                )
    runs = []
    with at(_t(2023, 12, 26, 10)):
        for category in (team, metal):
            runs.append(services.results_compute(actor=manager, category=category))
    with at(_t(2024, 1, 4, 16)):
        for run in runs:
            services.results_review(actor=manager, run=run)
    with at(_t(2024, 1, 10, 10)):
        for run in runs:
            services.results_publish(actor=manager, run=run)
    if stdout:
        stdout.write(f"selections: the 2023 selection with {len(applications)} applications, published")
