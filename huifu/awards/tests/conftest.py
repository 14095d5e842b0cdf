"""Awards fixtures: the member rating (owned by Member Management) and the INE award (owned by
the INE department), built through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from huifu.awards.models import AwardProgramme, ProgrammeKind
from huifu.awards.services import IndicatorInput
from huifu.core.testing.factories import OrganisationFactory
from huifu.directory.models import OrganisationKind

MEASURE_POINTS = {
    "warning_letter": Decimal("0.5"),
    "rectification": Decimal("1"),
    "supervisory_talk": Decimal("1.5"),
    "warning": Decimal("4"),
    "fine": Decimal("5"),
}


def member_tree(*, market: int = 60, compliance: int = 40, volume: int = 50, activities: int = 50):
    return [
        IndicatorInput("market", "市场表现", "Market performance", market),
        IndicatorInput(
            "volume",
            "成交量",
            "Trading volume",
            volume,
            parent="market",
            unit="手",
            source="computed",
            metric="trading_volume",
        ),
        IndicatorInput(
            "activities",
            "合作活动",
            "Co-hosted activities",
            activities,
            parent="market",
            source="computed",
            metric="activities_held",
        ),
        IndicatorInput("compliance", "合规经营", "Compliant operation", compliance, source="entered"),
    ]


@pytest.fixture
def rating(dept_mm):
    return AwardProgramme.objects.create(
        code="member-rating",
        kind=ProgrammeKind.MEMBER_RATING,
        name_zh="会员评优",
        name_en="Member rating",
        department=dept_mm,
        subject_kind=OrganisationKind.FUTURES_COMPANY,
    )


@pytest.fixture
def ine_award(dept_ine):
    return AwardProgramme.objects.create(
        code="ine-overseas-broker",
        kind=ProgrammeKind.OVERSEAS_BROKER,
        name_zh="境外经纪机构突出市场贡献奖",
        name_en="Overseas Broker Outstanding Market Contribution Award",
        department=dept_ine,
        subject_kind=OrganisationKind.OVERSEAS_BROKER,
        english_first=True,
    )


@pytest.fixture
def broker_a(db):
    return OrganisationFactory(
        kind=OrganisationKind.OVERSEAS_BROKER, name_zh="环球经纪（香港）有限公司", name_en="Globe Brokers (HK) Ltd"
    )


@pytest.fixture
def trade(db):
    """trade(org, day, volume): one day of trading in copper for ``org`` (tradingdata)."""
    import datetime

    from django.utils import timezone

    from huifu.products.catalogue import load_catalogue
    from huifu.products.models import Product
    from huifu.tradingdata.models import DailyMemberStat, ImportBatch

    load_catalogue(Product)
    product = Product.objects.get(code="cu")
    now = timezone.now()
    batch = ImportBatch.objects.create(
        file_format="csv", status="imported", original_name="t.csv", created_at=now, finished_at=now
    )

    def add(org, day: datetime.date, volume: int) -> None:
        DailyMemberStat.objects.create(
            trade_date=day,
            organisation=org,
            product=product,
            contract="cu2406",
            volume=volume,
            turnover=Decimal(volume) * 350000,
            open_interest=volume // 2,
            batch=batch,
        )

    return add


@pytest.fixture
def rating_2023(coordinator, rating, org_a, org_b, trade):
    """The 2023 member rating, open, with trading data: A traded 800 lots, B 1000; compliance
    entered (A 90, B 80). One category, 优秀会员, quota 1."""
    import datetime

    from huifu.awards.services import CategorySpec, scheme_create
    from huifu.awards.services.evaluations import entered_value_set, evaluation_create, evaluation_open

    scheme = scheme_create(
        actor=coordinator,
        programme=rating,
        year=2023,
        indicators=member_tree(),
        deductions=MEASURE_POINTS,
        deductions_to_be_checked=True,
    )
    evaluation = evaluation_create(
        actor=coordinator,
        programme=rating,
        scheme=scheme,
        year=2023,
        title_zh="2023年度会员评优",
        title_en="2023 Member Rating",
        categories=[CategorySpec("excellent", "优秀会员", "Excellent member", 1)],
    )
    evaluation = evaluation_open(actor=coordinator, evaluation=evaluation)
    trade(org_a, datetime.date(2023, 3, 1), 800)
    trade(org_b, datetime.date(2023, 3, 1), 1000)
    entered_value_set(
        actor=coordinator,
        evaluation=evaluation,
        organisation=org_a,
        indicator_code="compliance",
        value=90,
        evidence="2023年合规检查报告",
    )
    entered_value_set(
        actor=coordinator,
        evaluation=evaluation,
        organisation=org_b,
        indicator_code="compliance",
        value=80,
        evidence="2023年合规检查报告",
    )
    return evaluation


@pytest.fixture
def coordinator_2(dept_mm):
    from huifu.core.testing.factories import staff_user

    return staff_user(dept_mm, email="mm2@shfe.example", full_name="赵复核")
