"""Demo data of the dashboards: the first edition of the figures' definitions and the public
threshold (also seeded by migration), and a later edition of one definition, so the demo shows
how definitions are versioned per year. The figures themselves come from the other apps' demo
data. Through the services, as the system actor; safe to run twice."""

from __future__ import annotations

from typing import IO

from django.utils import timezone

from huifu.accounts.system import system_actor

from . import services
from .defaults import DEFAULT_PUBLIC_MINIMUM, DEFINITIONS, FIRST_EDITION_YEAR
from .models import FigureDefinition, PublicThreshold

LATER_EDITION = {
    "visits": (
        "来访：会员提交或来函登记的来访申请，按收到日期计入月份；已接待为状态“已接待”，已取消为状态“已取消”。"
        "自本年度起，同一会员同一天的多次来访申请分别计数。",
        "Visits: visit requests made in the portal or registered from a visit letter, counted in the month they "
        "were received; held: state held; cancelled: state cancelled. From this year on, several requests of one "
        "member on one day count separately.",
    ),
}


def seed(scale: int = 1, stdout: IO[str] | None = None) -> None:
    actor = system_actor()
    for key, (zh, en) in DEFINITIONS.items():
        if not FigureDefinition.objects.filter(year=FIRST_EDITION_YEAR, key=key).exists():
            services.definition_set(actor=actor, year=FIRST_EDITION_YEAR, key=key, text_zh=zh, text_en=en)
    if not PublicThreshold.objects.exists():
        services.threshold_set(actor=actor, year=FIRST_EDITION_YEAR, minimum=DEFAULT_PUBLIC_MINIMUM)
    year = timezone.localdate().year
    for key, (zh, en) in LATER_EDITION.items():
        if not FigureDefinition.objects.filter(year=year, key=key).exists():
            services.definition_set(actor=actor, year=year, key=key, text_zh=zh, text_en=en)
    if stdout:
        stdout.write(f"dashboards: {FigureDefinition.objects.count()} figure definitions\n")
