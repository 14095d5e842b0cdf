"""Demo notices for ``manage.py seed_demo``: the notices the 2023 plan itself mentions, created
and published through the real services. Safe to run twice (matched by document number or title).

Demo publication writes no e-mail (``notify=False``): seeding a demo must not mail anyone. The
publication dates are then set to the historic dates of the plan, which the services (that
stamp "now") cannot do; this is the only direct write and it touches nothing but the date.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from huifu.accounts.models import User, UserKind
from huifu.accounts.system import system_actor
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind

from .models import AudienceKind, Notice, NoticeCategory, NoticeStatus
from .services import notice_create_draft, notice_publish

SEED_FILE = "2023-shfe-member-services-and-investor-education-arrangements.zh.txt"
BENCH_TITLE_PREFIX = "【基准数据】会员服务通知"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _seed_text() -> str:
    """The 2023 arrangements (a copy of the shared seed document kept with the app)."""
    return (Path(__file__).parent / "demo_data" / SEED_FILE).read_text(encoding="utf-8").strip()


def _actor() -> User:
    staff = User.objects.filter(kind=UserKind.STAFF, is_active=True).select_related("department")
    return (
        staff.filter(department__kind=DepartmentKind.COORDINATOR).order_by("pk").first()
        or staff.filter(is_department_head=True).order_by("pk").first()
        or staff.order_by("pk").first()
        or system_actor()
    )


def _department(*kinds: str) -> Department | None:
    return Department.objects.filter(kind__in=kinds, is_active=True).order_by("sort_order", "pk").first()


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI)


def _notices() -> list[dict[str, Any]]:
    coordinator = _department(DepartmentKind.COORDINATOR)
    msc = _department(DepartmentKind.MARKET_SERVICE_CENTER) or coordinator
    return [
        {
            "doc_number": "上期发〔2023〕61号",
            "title": "关于开展2023年“上期强源助企”项目的通知",
            "category": NoticeCategory.NOTICE,
            "department": coordinator,
            "audience_kind": AudienceKind.ALL_MEMBERS,
            "published": _at(2023, 3, 8),
            "body": (
                "各会员单位、综合业务平台交易商：\n\n"
                "为深入贯彻服务实体经济的根本宗旨，上海期货交易所整合既往试点项目，统一打造"
                "“上期强源助企”品牌。现将2023年项目有关事项通知如下。\n\n"
                "一、功能类项目以会员累计成交量、持仓量为锚定；服务类项目围绕定价基准、企业拓展、"
                "工具应用三个方向，鼓励会员帮助实体企业利用期货和期权管理风险。\n\n"
                "二、2023年项目覆盖12个期货品种和全部8个期权品种。会员或交易商通过会服系统申请或备案，"
                "交易所审核、跟踪并组织成果验收，部分项目另设结项申请与结项审核。\n\n"
                "三、项目激励以手续费减收方式兑现。\n\n"
                "特此通知。"
            ),
        },
        {
            "doc_number": "",
            "title": "2023年会员服务和投资者教育工作安排",
            "category": NoticeCategory.GUIDELINE,
            "department": coordinator,
            "audience_kind": AudienceKind.ORG_KINDS,
            "audience_org_kinds": sorted(OrganisationKind.member_kinds() | OrganisationKind.partner_kinds()),
            "published": _at(2023, 3, 1),
            "body": _seed_text(),
        },
        {
            "doc_number": "",
            "title": "2023年合作举办市场活动指引",
            "category": NoticeCategory.GUIDELINE,
            "department": msc,
            "audience_kind": AudienceKind.ORG_KINDS,
            "audience_org_kinds": [OrganisationKind.FUTURES_COMPANY, OrganisationKind.INDUSTRY_ASSOCIATION],
            "published": _at(2023, 3, 15),
            "body": (
                "会员单位和行业协会可申请合作举办论坛、投资者报告会、产业小型沙龙、校园人才活动、"
                "调研活动、线上直播以及结合交易所重点工作的专项活动。\n\n"
                "流程：提交申请 → 交易所审核 → 合作方举办活动并提交总结材料 → 交易所审核并报销费用"
                "（合作方开具发票后，转账至单位账户） → 评选优秀产业服务案例并予以宣传。\n\n"
                "费用在年度预算额度内列支。"
            ),
        },
        {
            "doc_number": "",
            "title": "业务对口部门与联系人名单更新",
            "category": NoticeCategory.LIAISON_UPDATE,
            "department": coordinator,
            "audience_kind": AudienceKind.ALL_MEMBERS,
            "published": _at(2023, 4, 3),
            "body": (
                "为便利会员业务咨询与开展，现更新交易所业务对口部门与联系人名单。\n\n"
                "最新名单请见会服系统“部门与联系人”专栏；如有变动将及时更新。"
            ),
        },
        {
            "doc_number": "",
            "title": "“大宗商品月月谈”2023年4月场报名通知",
            "category": NoticeCategory.INVESTOR_EDUCATION,
            "department": msc,
            "audience_kind": AudienceKind.PUBLIC,
            "published": _at(2023, 4, 10),
            "body": (
                "“大宗商品月月谈”每月举办一期，每期半天，在交易所现场或线上举行，围绕交易所上市品种的"
                "产业研究和市场展望或新业务展开。\n\n"
                "本期邀请产业专家、分析师和交易所内部讲师主讲，欢迎分析师、产业客户、机构及个人投资者报名参加。"
            ),
        },
        {
            "doc_number": "",
            "title": "关于开展2023年优秀分析师（团队）评选工作的通知",
            "category": NoticeCategory.NOTICE,
            "department": coordinator,
            "audience_kind": AudienceKind.ALL_MEMBERS,
            "published": None,  # stays a draft
            "body": "拟于11月发布评选方案，会员申报后由交易所评审服务实体经济能力，公布获奖名单并予以表彰。",
        },
    ]


def _exists(doc_number: str, title: str) -> bool:
    if doc_number:
        return Notice.objects.filter(doc_number=doc_number).exists()
    return Notice.objects.filter(title=title).exists()


def _create(actor: User | None, spec: dict[str, Any]) -> Notice:
    published = spec.pop("published")
    notice = notice_create_draft(actor=actor, **spec)
    if published is not None:
        # The demo actor may be a staff member without the right to issue this department's notice.
        publisher = actor if actor.has_perm("notices.publish_notice", notice) else system_actor()
        notice_publish(actor=publisher, notice=notice, notify=False)
        Notice.objects.filter(pk=notice.pk).update(published_at=published)
    return notice


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    actor = _actor()
    created = 0
    for spec in _notices():
        if _exists(spec["doc_number"], spec["title"]):
            continue
        _create(actor, spec)
        created += 1
    # One notice addressed to a single named member, to show isolation between companies.
    named_org = Organisation.objects.filter(kind=OrganisationKind.FUTURES_COMPANY).order_by("pk").first()
    title = "关于贵司“一站通”会员之声反馈的集中答复"
    if named_org is not None and not _exists("", title):
        _create(
            actor,
            {
                "doc_number": "",
                "title": title,
                "category": NoticeCategory.REPORT,
                "department": _department(DepartmentKind.COORDINATOR),
                "audience_kind": AudienceKind.ORGANISATIONS,
                "audience_organisations": [named_org],
                "published": _at(2023, 5, 12),
                "body": f"{named_org.name_zh}：\n\n贵司反馈的意见建议已由会员管理部协调相关部门研究，答复如下。",
            },
        )
        created += 1
    created += _seed_bench(actor, scale)
    if stdout is not None:
        total = Notice.objects.count()
        published = Notice.objects.filter(status=NoticeStatus.PUBLISHED).count()
        stdout.write(f"notices: {created} created, {total} in total ({published} published)\n")


def _seed_bench(actor: User | None, scale: int) -> int:
    """``scale × 50`` extra published notices for benchmarks (only with --scale above 1)."""
    if scale <= 1:
        return 0
    wanted = [f"{BENCH_TITLE_PREFIX} {i:05d}" for i in range(1, scale * 50 + 1)]
    existing = set(Notice.objects.filter(title__startswith=BENCH_TITLE_PREFIX).values_list("title", flat=True))
    created = 0
    for i, title in enumerate(wanted):
        if title in existing:
            continue
        _create(
            actor,
            {
                "doc_number": "",
                "title": title,
                "category": NoticeCategory.NOTICE,
                "department": _department(DepartmentKind.COORDINATOR),
                "audience_kind": AudienceKind.ALL_MEMBERS if i % 3 else AudienceKind.PUBLIC,
                "published": _at(2023, 1 + i % 12, 1 + i % 28),
                "body": f"{title}\n\n用于性能测试的示例通知正文。",
            },
        )
        created += 1
    return created
