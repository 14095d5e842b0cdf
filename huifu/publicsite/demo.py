"""Demo identity of the exchange for the public landing page (safe to run twice)."""

from __future__ import annotations

from typing import Any

from .models import SiteIdentity


def seed(*, scale: int = 1, stdout: Any = None) -> None:
    _, created = SiteIdentity.objects.get_or_create(
        singleton=True,
        defaults={
            "name_zh": "上海期货交易所",
            "name_en": "Shanghai Futures Exchange",
            "platform_zh": "会员服务与投资者教育平台",
            "platform_en": "Member Services and Investor Education",
            "intro_zh": "会服是上海期货交易所面向会员单位、产业企业和广大投资者的服务平台："
            "会员之声反馈、产业服务案例、投资者教育活动与公告，一站办理。",
            "intro_en": "Huifu is the exchange's service platform for its members, industry enterprises and "
            "investors: Member Voice feedback, industry-service cases, investor education and notices in one place.",
            "address": "上海市浦东新区浦电路500号",
            "phone": "021-68400000",
            "email": "service@shfe.example",
            "website": "https://www.shfe.com.cn",
        },
    )
    if stdout is not None and created:
        stdout.write("publicsite: site identity")
