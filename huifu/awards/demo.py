"""Demo awards: the 2023 member rating (会员评优, Member Management) finished — scheme frozen,
compliance entered with evidence, two supervisory measures on one violation (counted once), v1
published, an objection by company A decided by the coordinator, v1.1 final with its winners'
certificates — and the 2024 scheme drafted from it with other weights; the 2024 INE overseas
broker award (INE department) finished with its winners, English first.

Safe to run twice: programmes, schemes, evaluations and their steps are found again. The v1
publication and its objection window are recorded as they stood in early 2024 (the window
closed before the final list), as the other demos record past events."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import IO

from django.utils import timezone

from huifu.accounts.models import User
from huifu.accounts.system import system_actor
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind

from .models import AwardProgramme, Evaluation, EvaluationState, Objection, ProgrammeKind, PublishedList, TieBreak
from .services import CategorySpec, IndicatorInput, scheme_create, scheme_new_version
from .services import evaluations as flow

MEASURE_POINTS_2025_DRAFT = {
    "warning_letter": Decimal("0.5"),
    "rectification": Decimal("1"),
    "supervisory_talk": Decimal("1.5"),
    "warning": Decimal("4"),
    "fine": Decimal("5"),
}

MEMBER_TREE = [
    IndicatorInput("market", "市场表现", "Market performance", 60),
    IndicatorInput("volume", "成交量", "Trading volume", 30, parent="market", unit="手", source="computed",
                   metric="trading_volume"),
    IndicatorInput("open_interest", "日均持仓量", "Daily average open interest", 20, parent="market", unit="手",
                   source="computed", metric="open_interest"),
    IndicatorInput("activities", "合作举办市场活动", "Co-hosted activities held", 15, parent="market",
                   source="computed", metric="activities_held"),
    IndicatorInput("cases", "案例发布", "Cases published", 10, parent="market", source="computed",
                   metric="cases_published"),
    IndicatorInput("incentives", "激励项目验收", "Incentive projects accepted", 10, parent="market",
                   source="computed", metric="incentives_accepted"),
    IndicatorInput("education", "投教活动参与", "Investor-education sessions", 10, parent="market",
                   source="computed", metric="sessions_attended"),
    IndicatorInput("voice", "会员之声参与", "Member Voice participation", 5, parent="market", source="computed",
                   metric="member_voice"),
    IndicatorInput("compliance", "合规经营", "Compliant operation", 40, unit="分", source="entered",
                   description="依据年度合规检查与监管评价结果，0–100 分。"),
]  # fmt: skip

INE_TREE = [
    IndicatorInput("clients", "客户开发", "Client development", 40, unit="户", source="entered",
                   description="New overseas clients trading INE products in the year."),
    IndicatorInput("participation", "市场参与", "Market participation", 40),
    IndicatorInput("ine_volume", "成交量", "Trading volume", 60, parent="participation", unit="手",
                   source="computed", metric="trading_volume"),
    IndicatorInput("ine_oi", "日均持仓量", "Daily average open interest", 40, parent="participation", unit="手",
                   source="computed", metric="open_interest"),
    IndicatorInput("service", "业务服务", "Business service", 20, unit="分", source="entered",
                   description="Promotion events, client training and feedback to the INE, 0–100."),
]  # fmt: skip


def _user(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).first()


def _programme(code: str, **fields: object) -> AwardProgramme:
    programme, _created = AwardProgramme.objects.get_or_create(code=code, defaults=fields)
    return programme


def _score(org: Organisation, low: int, spread: int) -> int:
    return low + (org.pk * 37) % spread


def _member_rating(stdout: IO[str] | None) -> None:
    department = Department.objects.filter(kind=DepartmentKind.COORDINATOR).order_by("pk").first()
    if department is None:
        return
    system = system_actor()
    programme = _programme(
        "member-rating",
        kind=ProgrammeKind.MEMBER_RATING,
        name_zh="会员评优",
        name_en="Member rating",
        department=department,
        subject_kind=OrganisationKind.FUTURES_COMPANY,
        description="每年初以会员综合评价体系为基础，对上一年度会员的市场表现、合规经营情况开展评优。",
    )
    evaluation = Evaluation.objects.filter(programme=programme, year=2023).first()
    if evaluation is None:
        scheme = scheme_create(
            actor=system, programme=programme, year=2023, title="2023年度会员综合评价指标体系",
            indicators=MEMBER_TREE, deductions=MEASURE_POINTS_2025_DRAFT, deductions_to_be_checked=True,
            tie_break=TieBreak.FIRST_INDICATOR,
        )  # fmt: skip
        evaluation = flow.evaluation_create(
            actor=system, programme=programme, scheme=scheme, year=2023, title_zh="2023年度会员评优",
            title_en="2023 Member Rating", objection_days=5,
            categories=[
                CategorySpec("gold", "优秀会员金奖", "Excellent Member — Gold", 3),
                CategorySpec("silver", "优秀会员银奖", "Excellent Member — Silver", 5),
            ],
        )  # fmt: skip
    if evaluation.state == EvaluationState.DRAFT:
        evaluation = flow.evaluation_open(actor=system, evaluation=evaluation)
    companies = list(Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY, status="active").order_by("pk"))
    if evaluation.state == EvaluationState.OPEN:
        for org in companies:
            flow.entered_value_set(
                actor=system, evaluation=evaluation, organisation=org, indicator_code="compliance",
                value=_score(org, 70, 30), evidence="2023年度合规检查报告及监管评价结果（会员管理部汇总）",
            )  # fmt: skip
        if len(companies) > 3:
            target = companies[3]
            for kind, number in (
                ("warning_letter", "沪证监措施字〔2023〕41号"),
                ("rectification", "沪证监措施字〔2023〕42号"),
            ):
                flow.measure_record(
                    actor=system, programme=programme, organisation=target, kind=kind, document_number=number,
                    issued_on=datetime.date(2023, 8, 16), violation_ref="2023-适当性管理不到位",
                    authority="上海证监局", summary="客户适当性管理不到位；同一违规先后采取两项措施，按较重者计。",
                )  # fmt: skip
        flow.evaluation_compute(actor=system, evaluation=evaluation, reason="初次计算")
        flow.list_publish(actor=system, evaluation=evaluation)
        evaluation.refresh_from_db()
    member = _user("member-a-admin@demo.huifu.example")
    coordinator = _user("coordinator@demo.huifu.example")
    if evaluation.state == EvaluationState.OBJECTION and member and coordinator:
        if not Objection.objects.filter(evaluation=evaluation).exists():
            flow.objection_submit(
                actor=member, evaluation=evaluation, indicator_code="compliance",
                text="我司2023年合规检查整改已于11月全部完成，合规经营得分未体现整改结果，请复核。",
            )  # fmt: skip
        objection = Objection.objects.filter(evaluation=evaluation, state="submitted").first()
        if objection is not None:
            flow.objection_decide(
                actor=coordinator, objection=objection, upheld=True,
                reason="经核实，整改报告已于2023年11月20日报送并经验收，合规经营得分更正为95分。",
            )  # fmt: skip
            flow.entered_value_set(
                actor=coordinator, evaluation=evaluation, organisation=objection.organisation,
                indicator_code="compliance", value=95, evidence="整改验收意见（2023年11月20日）",
            )  # fmt: skip
            flow.evaluation_compute(actor=coordinator, evaluation=evaluation, reason="异议采纳后更正合规经营得分")
        # The window as it stood: v1 published on 2024-02-05, objections until 2024-02-19.
        v1 = PublishedList.objects.get(evaluation=evaluation, label="v1")
        PublishedList.objects.filter(pk=v1.pk).update(
            published_at=timezone.make_aware(datetime.datetime(2024, 2, 5, 10))
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(objection_deadline=datetime.date(2024, 2, 19))
        evaluation.refresh_from_db()
        flow.list_publish(actor=system, evaluation=evaluation)
    scheme = evaluation.scheme
    if not scheme.successors.exists():
        scheme_new_version(
            actor=system, scheme=scheme, year=2024,
            weights={"market": 55, "compliance": 45, "cases": 15, "volume": 25},
        )  # fmt: skip
    if stdout is not None:
        stdout.write(f"awards: member rating 2023 ({evaluation.get_state_display()}), 2024 scheme drafted\n")


def _ine_award(stdout: IO[str] | None) -> None:
    department = Department.objects.filter(kind=DepartmentKind.INE).order_by("pk").first()
    if department is None:
        return
    system = system_actor()
    programme = _programme(
        "ine-overseas-broker",
        kind=ProgrammeKind.OVERSEAS_BROKER,
        name_zh="境外经纪机构突出市场贡献奖",
        name_en="Overseas Broker Outstanding Market Contribution Award",
        department=department,
        subject_kind=OrganisationKind.OVERSEAS_BROKER,
        english_first=True,
        description="Run by the INE around April for the previous year: client development, market "
        "participation and business service.",
    )
    evaluation = Evaluation.objects.filter(programme=programme, year=2024).first()
    if evaluation is None:
        scheme = scheme_create(
            actor=system, programme=programme, year=2024, title="2024 Overseas Broker Evaluation System",
            indicators=INE_TREE, tie_break=TieBreak.ALL_TIED_IN,
        )  # fmt: skip
        evaluation = flow.evaluation_create(
            actor=system, programme=programme, scheme=scheme, year=2024,
            title_zh="2024年度境外经纪机构突出市场贡献奖", title_en="2024 Overseas Broker Outstanding Market Contribution Award",
            categories=[CategorySpec("outstanding", "突出市场贡献奖", "Outstanding Market Contribution", 3)],
        )  # fmt: skip
    if evaluation.state == EvaluationState.DRAFT:
        evaluation = flow.evaluation_open(actor=system, evaluation=evaluation)
    if evaluation.state == EvaluationState.OPEN:
        for org in Organisation.objects.filter(kind=OrganisationKind.OVERSEAS_BROKER, status="active").order_by("pk"):
            flow.entered_value_set(
                actor=system, evaluation=evaluation, organisation=org, indicator_code="clients",
                value=_score(org, 5, 40), evidence="INE account-opening records 2024 (new overseas clients)",
            )  # fmt: skip
            flow.entered_value_set(
                actor=system, evaluation=evaluation, organisation=org, indicator_code="service",
                value=_score(org, 60, 40), evidence="INE business department service log 2024",
            )  # fmt: skip
        flow.evaluation_compute(actor=system, evaluation=evaluation)
        flow.list_publish(actor=system, evaluation=evaluation)
        evaluation.refresh_from_db()
    if evaluation.state == EvaluationState.OBJECTION:
        # As it stood: v1 on 2025-03-24, objections until 2025-03-31, final in April.
        Evaluation.objects.filter(pk=evaluation.pk).update(objection_deadline=datetime.date(2025, 3, 31))
        PublishedList.objects.filter(evaluation=evaluation, label="v1").update(
            published_at=timezone.make_aware(datetime.datetime(2025, 3, 24, 10))
        )
        evaluation.refresh_from_db()
        flow.list_publish(actor=system, evaluation=evaluation)
    if stdout is not None:
        stdout.write(f"awards: INE overseas broker award 2024 ({evaluation.get_state_display()})\n")


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:  # noqa: ARG001
    _member_rating(stdout)
    _ine_award(stdout)
