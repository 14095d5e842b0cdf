"""Settlement benchmark on PostgreSQL: a year's fee-reduction settlement for 200 members × 30
products through the real service (``settlement_compute``).

    .venv/bin/python bench/settlement_bench.py [--database-url postgres://…] [--repeat 3]

Setup (not timed): the database (default postgres://postgres@127.0.0.1:5432/huifu_bench_st) is
created and migrated; the product catalogue (the first 30 products), 200 members, one daily row
per member × product × trading day of 2024 (242 days: 1,452,000 rows, bulk-loaded by COPY), one
functional project for 2024 with a rule per product (marginal and whole tiers on volume, fees,
turnover and average open interest, minimums, caps per member and per project; each rule passes
``full_clean``), and 200 accepted participations (a few joining mid-year, some partially
accepted). Timed: ``settlement_compute`` of a draft run for 2024-01-01..2024-12-31 (gathering,
computation, 200 statements and 6,000 lines with explanations written), best and all of N runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MEMBERS = 200
PRODUCTS = 30
YEAR = 2024
TIERS_MARGINAL = [{"from": "0", "to": "2000", "rate": "0.05"}, {"from": "2000", "to": None, "rate": "0.10"}]
TIERS_WHOLE = [{"from": "0", "to": "100", "rate": "0.02"}, {"from": "100", "to": None, "rate": "0.04"}]


def _setup(stdout: object) -> object:
    from django.db import connection
    from django.utils import timezone

    from huifu.accounts.models import User
    from huifu.directory.models import Department, DepartmentKind, Organisation
    from huifu.incentives.models import Participation, Project, ProjectRule
    from huifu.products.catalogue import load_catalogue
    from huifu.products.models import Product
    from huifu.tradingdata.models import DailyMemberStat, ImportBatch
    from huifu.tradingdata.selectors import trading_calendar
    from huifu.workdays.engine import CHINA_TZ
    from huifu.workdays.services import DEFAULT_SEED_YEARS, calendar_seed_years

    calendar_seed_years(years=DEFAULT_SEED_YEARS)
    load_catalogue(Product)
    department, _ = Department.objects.get_or_create(
        kind=DepartmentKind.COORDINATOR, defaults={"name_zh": "会员管理部", "name_en": "Member Management"}
    )
    actor, _ = User.objects.get_or_create(
        email="settlement-bench@shfe.example",
        defaults={"kind": "staff", "department": department, "full_name": "基准结算"},
    )
    members = []
    for i in range(MEMBERS):
        org, _ = Organisation.objects.get_or_create(
            member_number=f"8{i:03d}",
            defaults={"kind": "futures_company", "name_zh": f"结算基准期货{i}", "name_en": f"S{i}"},
        )
        members.append(org)
    products = list(Product.objects.select_related("underlying").order_by("sort_order", "code")[:PRODUCTS])
    assert len(products) == PRODUCTS, len(products)
    days = trading_calendar().trading_days_between(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    expected = MEMBERS * PRODUCTS * len(days)
    org_ids = [m.pk for m in members]
    if DailyMemberStat.objects.filter(trade_date__year=YEAR, organisation_id__in=org_ids).count() != expected:
        DailyMemberStat.objects.filter(trade_date__year=YEAR).delete()
        now = timezone.now()
        batch = ImportBatch.objects.create(
            file_format="csv", status="imported", original_name="settlement-bench", created_at=now, finished_at=now
        )
        table = DailyMemberStat._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {table} (trade_date, organisation_id, product_id, contract, volume, turnover, open_interest, "
                f"batch_id) FROM STDIN"
            ) as copy,
        ):
            n = 0
            for day in days:
                for org_id in org_ids:
                    for product in products:
                        root = (product.underlying.code if product.underlying_id else product.code).split("_")[0]
                        contract = f"{root}2412" + ("c100" if product.underlying_id else "")
                        volume = (n * 7919) % 40
                        copy.write_row(
                            (
                                day,
                                org_id,
                                product.pk,
                                contract,
                                volume,
                                f"{volume * 1234}.50",
                                (n * 104729) % 300,
                                batch.pk,
                            )
                        )
                        n += 1
        stdout.write(f"loaded {expected} daily rows\n")
    project = Project.objects.filter(code="BENCH-2024").first()
    if project is None:
        project = Project(
            year=YEAR,
            code="BENCH-2024",
            name_zh="结算基准项目",
            kind="functional",
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
            status="open",
            cap_per_member=Decimal("500000"),
            cap_total=Decimal("20000000"),
        )
        project.full_clean()
        project.save()
        project.products.set(products)
        bases = ["volume", "fees", "turnover", "avg_open_interest"]
        for i, product in enumerate(products):
            whole = i % 3 == 2
            rule = ProjectRule(
                project=project,
                product=product,
                basis=bases[i % 4] if not whole else "volume",
                tier_mode="whole" if whole else "marginal",
                tiers=TIERS_WHOLE if whole else TIERS_MARGINAL,
                min_volume=Decimal("100") if i % 5 == 0 else None,
                min_avg_open_interest=Decimal("10") if i % 7 == 0 else None,
                cap_per_member=Decimal("20000") if i % 4 == 1 else None,
            )
            rule.full_clean()
            rule.save()
        for k, org in enumerate(members):
            joined = dt.date(YEAR, 7, 1) if k % 10 == 0 else project.period_start
            participation = Participation.objects.create(
                project=project,
                organisation=org,
                status="accepted",
                entry_mode="apply",
                plan="基准",
                submitted_by=actor,
                submitted_at=timezone.now(),
                joined_on=joined,
                effective_from=joined,
                effective_to=project.period_end,
                result="partial" if k % 8 == 0 else "accepted",
                payout_ratio=Decimal("0.8") if k % 8 == 0 else Decimal("1"),
                accepted_at=dt.datetime.combine(dt.date(YEAR, 6, 1), dt.time(10), tzinfo=CHINA_TZ),
            )
            participation.products.set(products)
    return project, actor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/huifu_bench_st")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings")
    sys.path.insert(0, str(ROOT / "bench"))
    from run import ensure_database

    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from huifu.settlements.models import SettlementLine, SettlementRun
    from huifu.settlements.services import settlement_compute, settlement_create

    project, actor = _setup(sys.stdout)
    SettlementRun.objects.filter(project=project).delete()
    run = settlement_create(
        project=project, period_start=project.period_start, period_end=project.period_end, actor=actor
    )
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        run = settlement_compute(run=run, actor=actor)
        timings.append(time.perf_counter() - start)
    lines = SettlementLine.objects.filter(statement__run=run).count()
    result = {
        "members": run.statement_count,
        "lines": lines,
        "total_amount": str(run.total_amount),
        "compute_s": [round(t, 2) for t in timings],
        "best_s": round(min(timings), 2),
    }
    print(
        f"settlement {project.code}: {run.statement_count} members, {lines} lines, total {run.total_amount} CNY; "
        f"compute {', '.join(f'{t:.2f}s' for t in timings)} (best {min(timings):.2f}s, target < 5 s)"
    )
    out = ROOT / "bench" / "results" / f"settlement-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
