"""University research projects (课题研究) — investor education in the national education system.

A research project is an incentive ``Project`` of kind ``research``: staff open a call for a
year, a university (directory organisation of kind ``university``) applies with a topic as a
``Participation`` and the same apply → review → track → accept flow runs (decisions, progress
reports, results, attachments, working-day deadlines). Nothing here is a second copy of that
flow; this module only holds the figures other apps read (``huifu.universities``: MOU
obligations and coverage).
"""

from __future__ import annotations

from .models import Participation, ParticipationStatus, ProjectKind

# "Delivered" research topics: approved at review and not failed, withdrawn or rejected —
# in tracking (in progress), results under acceptance, accepted, closing review or closed.
DELIVERED_STATES = frozenset(
    {
        ParticipationStatus.TRACKING,
        ParticipationStatus.ACCEPTANCE_REVIEW,
        ParticipationStatus.ACCEPTED,
        ParticipationStatus.CLOSING_REVIEW,
        ParticipationStatus.CLOSED,
    }
)

DELIVERED_DEFINITION = (
    "Research topics of the university in research projects of the year (the call's year), "
    "approved by the exchange and in progress (tracking or results under acceptance) or accepted "
    "(including closing review and closed). Applications awaiting review, rejected, withdrawn "
    "and not accepted (failed) topics are not counted. Each participation is one topic."
)


def research_participations(*, university_id: int, year: int):  # noqa: ANN201
    """The university's research participations of ``year`` (projects' year), unscoped:
    callers check the reader's right to see the university."""
    return Participation.objects.filter(
        project__kind=ProjectKind.RESEARCH, project__year=year, organisation_id=university_id
    )


def delivered_research_topics(university_id: int, year: int) -> int:
    """How many research topics ``university_id`` delivered in ``year`` (see
    ``DELIVERED_DEFINITION``: accepted or in progress; one query)."""
    return research_participations(university_id=university_id, year=year).filter(status__in=DELIVERED_STATES).count()


# --- demo ----------------------------------------------------------------------------------------

DEMO_CODE = "2023-R01"
# University (directory name), topic, state reached through the real services.
DEMO_TOPICS = [
    ("复旦大学", "铜期货价格发现功能与产业链定价实证研究", "accepted"),
    ("上海交通大学", "期货市场服务实体经济的高校课程体系研究", "tracking"),
    ("上海财经大学", "大学生期货知识认知与投资者教育效果调查", "acceptance_review"),
    ("华东师范大学", "航运指数期货投资者保护机制研究", "submitted"),
    ("中国人民大学", "商品期权在企业风险管理中的应用", "rejected"),
]


def seed_demo(*, department, reviewer) -> int:  # noqa: ANN001
    """A 2023 research call (课题研究) with university topics in several states, through the
    real services. Idempotent: the call by code, each topic by (call, university)."""
    import datetime

    from huifu.accounts.models import OrgRole, User, UserKind
    from huifu.accounts.system import system_actor
    from huifu.directory.models import Organisation, OrganisationKind

    from . import services
    from .models import Project, ProjectStatus

    project = Project.objects.filter(code=DEMO_CODE).first()
    if project is None:
        project = services.project_create(
            actor=system_actor(),
            year=2023,
            code=DEMO_CODE,
            name_zh="2023年投资者教育纳入国民教育体系课题研究",
            name_en="2023 university research on investor education",
            kind=ProjectKind.RESEARCH,
            description="交易所与合作高校开展课题研究：高校申报课题——交易所评审立项——跟踪研究进展——成果验收并择优宣传。",
            entry_mode="apply",
            department=department,
            period_start=datetime.date(2023, 3, 1),
            period_end=datetime.date(2023, 12, 31),
            review_working_days=15,
            acceptance_working_days=20,
        )
        services.project_set_status(actor=system_actor(), project=project, status=ProjectStatus.OPEN)
    if reviewer is None:
        return 0
    created = 0
    for name, topic, state in DEMO_TOPICS:
        org = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY, name_zh=name).first()
        if org is None or Participation.objects.filter(project=project, organisation=org).exists():
            continue
        user = User.objects.filter(organisation=org, is_active=True).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(
                f"research-{org.pk}@demo.huifu.example",
                None,
                full_name=f"{org.short_name or org.name_zh}课题负责人",
                kind=UserKind.PARTNER,
                organisation=org,
                org_role=OrgRole.CONTACT,
            )
        p = services.participation_submit(
            actor=user,
            project=project,
            topic=topic,
            plan="研究方法：文献研究、问卷调查与实证分析；进度：4月开题、9月中期报告、12月结题；"
            "预期成果：研究报告一份、教学案例两篇、校内专题讲座一场。",
        )
        created += 1
        if state == "submitted":
            continue
        if state == "rejected":
            services.participation_review(
                actor=reviewer, participation=p, approve=False, comment="选题与本年度研究方向不符，欢迎明年再申报。"
            )
            continue
        services.participation_review(
            actor=reviewer, participation=p, approve=True, comment="同意立项。", joined_on=datetime.date(2023, 4, 3)
        )
        services.participation_report(actor=user, participation=p, text="已完成开题报告和问卷设计，回收问卷326份。")
        if state == "tracking":
            continue
        services.participation_submit_results(actor=user, participation=p, text="提交研究报告终稿及两篇教学案例。")
        if state == "acceptance_review":
            continue
        services.participation_accept(
            actor=reviewer, participation=p, result="accepted", notes="成果验收通过，择优宣传。"
        )
    return created
