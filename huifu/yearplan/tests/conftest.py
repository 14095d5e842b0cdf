"""Year-plan fixtures: the records the 2023 document cites (incentive projects with their
products, pilots and governing notice), then the 2023 year entered like the demo."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from huifu.accounts.system import system_actor
from huifu.incentives.models import PilotProgramme, Project, ProjectStatus
from huifu.incentives.pilots import load_pilots
from huifu.notices.models import Notice
from huifu.products.models import Product, ProductKind
from huifu.yearplan import demo

SEED = Path(__file__).resolve().parents[3] / "huifu" / "notices" / "demo_data"


def seed_text() -> str:
    return next(SEED.glob("2023-*arrangements*.txt")).read_text(encoding="utf-8")


def seed_headings() -> list[str]:
    """Part, programme and section headings of the published 2023 plan, in order."""
    parts = {"会员及市场服务", "投资者教育", "系列评优"}
    found = []
    for line in seed_text().splitlines():
        line = line.strip()
        if (
            line in parts
            or re.match(r"^[一二三四五六七八九十]+、", line)
            or re.match(r"^（(背景信息|项目介绍|操作流程|支持方式)）$", line)
        ):
            found.append(line)
    return found


@pytest.fixture
def records_2023(db):
    load_pilots(PilotProgramme)
    notice = Notice.objects.create(
        doc_number="上期发〔2023〕61号", title="关于开展2023年“上期强源助企”项目的通知", body="通知正文。"
    )
    futures = list(Product.objects.filter(kind=ProductKind.FUTURES).order_by("sort_order", "code")[:12])
    options = list(Product.objects.filter(kind=ProductKind.OPTION, is_active=True))
    project = Project.objects.create(
        year=2023,
        code="2023-T01",
        name_zh="测试项目",
        kind="functional",
        period_start=datetime.date(2023, 1, 1),
        period_end=datetime.date(2023, 12, 31),
        notice=notice,
        notice_doc_number=notice.doc_number,
        notice_date=datetime.date(2023, 3, 8),
        status=ProjectStatus.OPEN,
    )
    project.products.set(futures + options)
    project.pilots.set(PilotProgramme.objects.all())
    return {"futures": len(futures), "options": len(options), "project": project}


@pytest.fixture
def plan_2023(records_2023):
    return demo._ensure_2023(system_actor())
