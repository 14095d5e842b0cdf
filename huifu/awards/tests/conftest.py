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
