"""Demo data: this year's monthly commodity talk (大宗商品月月谈) with a talk in every month but
February (the plan shows the gap), a training series co-organised with a university, a few
speakers; most sessions published. Built through the real services as the system actor.
Idempotent: does nothing if this year's monthly-talk series exists."""

from __future__ import annotations

import datetime
from typing import IO

from django.utils import timezone

from huifu.accounts.models import User
from huifu.accounts.system import system_actor
from huifu.directory.models import Organisation, OrganisationKind
from huifu.products.models import Product

from . import services
from .models import Audience, Mode, Series, SeriesKind, Session, SessionState, Slot, TopicType

SPEAKERS = [
    ("王建华", "首席分析师", "上海某期货公司研究所"),
    ("李敏", "高级研究员", "有色金属行业协会"),
    ("陈立", "讲师", "上海期货交易所"),
]
# month, title, products, topic, mode
TALKS = [
    (1, "铜产业链年度展望", ["cu"], TopicType.MARKET_OUTLOOK, Mode.HYBRID),
    (3, "原油期货与地缘风险", ["sc"], TopicType.INDUSTRY_RESEARCH, Mode.ON_SITE),
    (4, "螺纹钢与热卷：需求与库存", ["rb", "hc"], TopicType.INDUSTRY_RESEARCH, Mode.ONLINE),
    (5, "期权工具在企业风险管理中的应用", ["cu_o", "au_o"], TopicType.NEW_BUSINESS, Mode.HYBRID),
    (6, "天然橡胶产业调研分享", ["ru"], TopicType.INDUSTRY_RESEARCH, Mode.ON_SITE),
    (7, "集运指数期货一年回顾", ["ec"], TopicType.EXCHANGE_PROJECTS, Mode.ONLINE),
    (8, "铝产业链与绿色低碳", ["al"], TopicType.MARKET_OUTLOOK, Mode.ON_SITE),
    (9, "黄金白银：四季度行情研判", ["au", "ag"], TopicType.MARKET_OUTLOOK, Mode.HYBRID),
    (10, "燃料油与沥青：季节性", ["fu", "bu"], TopicType.INDUSTRY_RESEARCH, Mode.ONLINE),
    (11, "纸浆期货服务实体经济", ["sp"], TopicType.EXCHANGE_PROJECTS, Mode.ON_SITE),
    (12, "下一年度大宗商品展望", ["cu", "al", "zn"], TopicType.MARKET_OUTLOOK, Mode.HYBRID),
]


def _third_thursday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 14)


def seed(*, scale: int = 1, stdout: IO[str] | None = None) -> None:
    year = timezone.localdate().year
    title = f"{year}年大宗商品月月谈"
    if Series.objects.filter(year=year, title_zh=title).exists():
        return
    actor = system_actor()
    speakers = [services.speaker_create(actor=actor, name=n, title=t, organisation_name=o) for n, t, o in SPEAKERS]
    talk = services.series_create(
        actor=actor, year=year, kind=SeriesKind.MONTHLY_TALK, title_zh=title, title_en=f"Monthly Commodity Talk {year}"
    )
    products = {p.code: p for p in Product.objects.all()}
    today = timezone.localdate()
    for month, name, codes, topic, mode in TALKS:
        session = services.session_create(
            actor=actor,
            series=talk,
            title=name,
            date=_third_thursday(year, month),
            slot=Slot.AFTERNOON,
            mode=mode,
            address="上海市浦东新区浦电路500号 上海期货大厦" if mode != Mode.ONLINE else "",
            room="二楼报告厅" if mode != Mode.ONLINE else "",
            capacity=200 if mode != Mode.ONLINE else None,
            platform="腾讯会议" if mode != Mode.ON_SITE else "",
            link="https://meeting.example.com/huifu-talk" if mode != Mode.ON_SITE else "",
            topic_type=topic,
            audiences=Audience.for_kind(SeriesKind.MONTHLY_TALK),
            programme="13:30 签到\n14:00 主题演讲\n15:30 互动问答",
            products=[products[c] for c in codes if c in products],
            speakers=speakers[month % 3 : month % 3 + 2],
        )
        # The last talk of the year stays a draft: the plan is still being finalised.
        if month != 12 or session.date < today:
            services.session_publish(actor=actor, session=session)
    training = services.series_create(
        actor=actor, year=year, kind=SeriesKind.TRAINING, title_zh=f"{year}年会员及从业人员综合培训"
    )
    university = Organisation.objects.filter(kind=OrganisationKind.UNIVERSITY).order_by("pk").first()
    for month in (4, 9, 12):
        session = services.session_create(
            actor=actor,
            series=training,
            title=f"期货市场合规与风险管理（第{(month + 2) // 4}期）",
            date=_third_thursday(year, month) + datetime.timedelta(days=1),
            slot=Slot.MORNING,
            mode=Mode.ON_SITE,
            address="上海市杨浦区国定路777号",
            room="教学楼301",
            capacity=80,
            topic_type=TopicType.EXCHANGE_PROJECTS,
            audiences=[Audience.MEMBERS_PRACTITIONERS],
            co_organisers=[university] if university else [],
            speakers=speakers[2:],
        )
        services.session_publish(actor=actor, session=session)
    # The demo investor has signed up for the next open session (so "My registrations" is not empty).
    investor = User.objects.filter(email="investor@demo.huifu.example", is_active=True).first()
    upcoming = [s for s in Session.objects.filter(state=SessionState.PUBLISHED) if s.closes_at > timezone.now()]
    if investor is not None and upcoming:
        services.registration_create(actor=investor, session=min(upcoming, key=lambda s: s.starts_at))
    if stdout is not None:
        stdout.write(f"events: 2 series, {len(TALKS) + 3} sessions for {year}\n")
