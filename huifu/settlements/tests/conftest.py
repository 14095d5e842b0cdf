"""Settlement fixtures: a project with rules, accepted participations and daily data (ORM-built
where the incentives services are another engineer's; figures chosen to be checked by hand)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from huifu.incentives.models import Participation, Project, ProjectRule
from huifu.products.catalogue import load_catalogue
from huifu.products.models import Product
from huifu.tradingdata.models import DailyMemberStat, ImportBatch
from huifu.tradingdata.testing import trading_calendar_data  # noqa: F401, F811
from huifu.workdays.engine import CHINA_TZ

D = dt.date
TIERS = [{"from": "0", "to": "100000", "rate": "0.10"}, {"from": "100000", "to": None, "rate": "0.20"}]


@pytest.fixture
def products(db):
    load_catalogue(Product)
    return {p.code: p for p in Product.objects.all()}


@pytest.fixture
def make_project(products):
    def make(*, rules: dict, code="2024-F01", start=D(2024, 1, 1), end=D(2024, 12, 31), **fields):
        project = Project.objects.create(
            year=start.year,
            code=code,
            name_zh="测试项目",
            kind="functional",
            period_start=start,
            period_end=end,
            status="open",
            **fields,
        )
        project.products.set([products[c] for c in rules])
        for product_code, rule in rules.items():
            ProjectRule.objects.create(project=project, product=products[product_code], **rule)
        return project

    return make


@pytest.fixture
def accept(products, member_a_admin):
    def make(
        project,
        organisation,
        codes,
        *,
        effective_from=None,
        effective_to=None,
        ratio="1",
        award=None,
        accepted=D(2024, 6, 1),
    ):
        participation = Participation.objects.create(
            project=project,
            organisation=organisation,
            status="accepted",
            entry_mode="apply",
            plan="计划",
            submitted_by=member_a_admin,
            submitted_at=timezone.now(),
            joined_on=effective_from or project.period_start,
            effective_from=effective_from or project.period_start,
            effective_to=effective_to or project.period_end,
            result="accepted" if Decimal(ratio) == 1 else "partial",
            payout_ratio=Decimal(ratio),
            award_amount=Decimal(award) if award else None,
            accepted_at=dt.datetime.combine(accepted, dt.time(10), tzinfo=CHINA_TZ),
        )
        participation.products.set([products[c] for c in codes])
        return participation

    return make


@pytest.fixture
def add_stats(products):
    batch_holder = {}

    def add(organisation, code, days, *, volume=0, turnover="0", oi=0, contract=None):
        if "batch" not in batch_holder:
            now = timezone.now()
            batch_holder["batch"] = ImportBatch.objects.create(
                file_format="csv", status="imported", original_name="t.csv", created_at=now, finished_at=now
            )
        product = products[code]
        DailyMemberStat.objects.bulk_create(
            DailyMemberStat(
                trade_date=day,
                organisation=organisation,
                product=product,
                contract=contract or f"{code.split('_')[0]}2406",
                volume=volume,
                turnover=Decimal(turnover),
                open_interest=oi,
                batch=batch_holder["batch"],
            )
            for day in days
        )

    return add
