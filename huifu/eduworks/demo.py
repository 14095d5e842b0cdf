"""Demo educational works and base figures for ``manage.py seed_demo``: works in every state of the
review (written by the business department and by member company A, reviewed by the
coordinator), reach figures of the published ones and the base's monthly visitors. Idempotent
(matched by title; base figures by month)."""

from __future__ import annotations

import datetime
from typing import IO

from django.utils import timezone

from huifu.accounts.models import User
from huifu.products.models import Product

from . import services
from .models import AuthorKind, BaseKind, BaseMonthlyFigure, Channel, Licence, Work, WorkKind

DOMAIN = "demo.huifu.example"

# title, kind, summary, products, audiences, author (kind, name, affiliation), by member?, final state
WORKS = [
    (
        "期货知识漫画：小铜的套保之旅",
        WorkKind.COMIC,
        "以铜加工企业“小铜”为主角的十二格漫画，讲清楚什么是套期保值、基差风险从哪里来，以及保证金为何要留足。",
        ["cu"],
        ["individual", "students"],
        (AuthorKind.STAFF, "王投教", "上海期货交易所投资者教育中心"),
        False,
        "published",
    ),
    (
        "套期保值微课：螺纹钢企业如何锁定加工利润",
        WorkKind.COURSE,
        "五节微课（每节八分钟），从钢厂的原料和成品价格敞口出发，演示螺纹钢、热轧卷板期货的卖出套保和库存管理。",
        ["rb", "hc"],
        ["industry", "practitioners"],
        (AuthorKind.MEMBER, "陈分析", "甲期货有限公司研究所"),
        True,
        "published",
    ),
    (
        "原油期货入门短视频：上海原油是怎样定价的",
        WorkKind.VIDEO,
        "三分钟短视频，介绍上海原油期货的交割品级、计价货币和与国际基准的价差。",
        ["sc"],
        ["individual", "public"],
        (AuthorKind.EXTERNAL, "刘主播", "某财经视频工作室"),
        False,
        "approved",
    ),
    (
        "黄金期权知识闯关小游戏",
        WorkKind.GAME,
        "十道闯关题，答对即可解锁下一关，帮助投资者理解期权买方与卖方的权利义务和风险。",
        ["au", "au_o"],
        ["individual", "students"],
        (AuthorKind.MEMBER, "赵产品", "甲期货有限公司互联网金融部"),
        True,
        "submitted",
    ),
    (
        "直播：天然橡胶产业链风险管理分享",
        WorkKind.LIVE,
        "邀请产业专家在线讲解天然橡胶供需与期货、期权工具在轮胎企业中的应用，设互动问答环节。",
        ["ru"],
        ["industry"],
        (AuthorKind.STAFF, "周讲师", "上海期货交易所会员服务部"),
        False,
        "returned",
    ),
    (
        "期货术语小课堂：什么是强行平仓",
        WorkKind.ARTICLE,
        "图文讲解强行平仓的触发条件、顺序与投资者如何避免，附交易所规则条文索引。",
        [],
        ["individual"],
        (AuthorKind.MEMBER, "孙合规", "甲期货有限公司合规部"),
        True,
        "draft",
    ),
]


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DOMAIN}", is_active=True).first()


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:  # noqa: ARG001
    staff, reviewer, member = _user("dept-staff"), _user("coordinator"), _user("member-a-admin")
    if staff is None or reviewer is None or member is None:
        return
    products = {p.code: p for p in Product.objects.all()}
    today = timezone.localdate()
    created = 0
    for n, (title, kind, summary, codes, audiences, author, by_member, final) in enumerate(WORKS):
        if Work.objects.filter(title=title).exists():
            continue
        writer = member if by_member else staff
        work = services.work_create(
            actor=writer,
            kind=kind,
            title=title,
            summary=summary,
            products=[products[c] for c in codes if c in products],
            audiences=audiences,
            link=f"https://edu.example.com/works/{n + 1}",
            rights_owner=str(author[2]) if by_member else "上海期货交易所",
            licence=Licence.NON_EXCLUSIVE if by_member else Licence.OWNED,
            third_party_cleared=True,
            third_party_note="配图为自绘；背景音乐使用已购买授权的曲库。",
        )
        services.work_author_add(actor=writer, work=work, kind=author[0], name=author[1], affiliation=author[2])
        created += 1
        if final == "draft":
            continue
        services.work_submit(actor=writer, work=work)
        if final == "submitted":
            continue
        services.work_review_start(actor=reviewer, work=work)
        ticked = [i.code for i in services.checklist_items()]
        if final == "returned":
            services.work_review_decide(
                actor=reviewer,
                work=work,
                approve=False,
                ticked=ticked[:-2],
                note="请补充风险提示，并删除直播预告中“稳赚”字样。",
            )
            continue
        services.work_review_decide(actor=reviewer, work=work, approve=True, ticked=ticked, note="内容准确，同意发布。")
        if final == "approved":
            continue
        published_on = today - datetime.timedelta(days=40 * (n + 1))
        work = services.work_publish(
            actor=reviewer,
            work=work,
            channel=Channel.WECHAT if kind == WorkKind.COMIC else Channel.VIDEO,
            published_on=published_on,
        )
        month = published_on.replace(day=1)
        while month <= today.replace(day=1):
            services.reach_record(
                actor=reviewer,
                work=work,
                month=month,
                channel=work.channel,
                views=3200 + 400 * month.month,
                plays=1800 if kind != WorkKind.COMIC else 0,
                likes=260,
                shares=85,
                participants=0,
            )
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    for months_back in range(0, 6):
        month = today.replace(day=1)
        for _ in range(months_back):
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        for base, visitors, visits, surveyed, satisfied in (
            (BaseKind.PHYSICAL, 420 + 30 * months_back, 460 + 30 * months_back, 120, 112),
            (BaseKind.ONLINE, 15600 - 500 * months_back, 23800 - 600 * months_back, 300, 271),
        ):
            if BaseMonthlyFigure.objects.filter(month=month, base=base).exists():
                continue
            services.base_figure_record(
                actor=reviewer,
                month=month,
                base=base,
                visitors=visitors,
                visits=visits,
                surveyed=surveyed,
                satisfied=satisfied,
                note="来自基地签到簿" if base == BaseKind.PHYSICAL else "来自网站访问统计",
            )
    if stdout is not None and created:
        stdout.write(f"eduworks: {created} educational works\n")
