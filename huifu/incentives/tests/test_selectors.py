import datetime

from django.utils import timezone

from huifu.core.testing.factories import OrganisationFactory
from huifu.incentives.selectors import coverage_by_product, participation_counts_by_project, trend_series
from huifu.tradingdata.models import DailyMemberStat, ImportBatch


def test_coverage_by_product_flags_products_without_participants(submitted, project):
    rows = {row.product.code: row for row in coverage_by_product(year=project.year)}
    assert rows["cu"].participations == 1 and rows["cu"].organisations == 1 and rows["cu"].projects == 1
    assert rows["cu_o"].participations == 0
    assert "al" not in rows


def test_counts_by_project(submitted, project):
    [row] = participation_counts_by_project(year=project.year)
    assert row["total"] == 1 and row["code"] == project.code


def test_trend_splits_participants_from_others(tracking, project, catalogue, org_a):
    now = timezone.now()
    batch = ImportBatch.objects.create(
        file_format="csv", status="imported", original_name="t.csv", created_at=now, finished_at=now
    )
    other = OrganisationFactory()
    day1 = datetime.date(project.year, 3, 1)
    day2 = datetime.date(project.year, 3, 2)
    for org, day, vol, oi in ((org_a, day1, 100, 10), (org_a, day2, 50, 30), (other, day1, 7, 4)):
        DailyMemberStat.objects.create(
            trade_date=day,
            organisation=org,
            product=catalogue["cu"],
            contract="cu2305",
            volume=vol,
            turnover=0,
            open_interest=oi,
            batch=batch,
        )
    [point] = trend_series(year=project.year)
    assert point.participants_volume == 150 and point.others_volume == 7
    assert point.participants_oi == 20 and point.others_oi == 4
    assert trend_series(year=project.year, product=catalogue["al"]) == []
