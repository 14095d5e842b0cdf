"""Import benchmark on PostgreSQL: Huifu's CSV import vs a plain COPY of the same file, and the
import's peak Python memory (tracemalloc) at two file sizes.

    .venv/bin/python bench/tradingdata_bench.py [--rows 250000 1000000] [--database-url postgres://…]

Creates/migrates the database (default postgres://postgres@127.0.0.1:5432/huifu_bench_td), 200
members and the product catalogue, writes CSV files of N rows to /tmp, then for each size: plain
``COPY`` of the file into an ordinary table with the file's columns and the same unique key (the
target's baseline; an UNLOGGED table's time is reported beside it), and
``import_daily_file`` (PostgreSQL fast path: raw COPY to a staging table, set-wise checks,
DELETE + INSERT … SELECT). The timed import starts from an empty statistics table (TRUNCATE, not
timed), like the COPY; a re-import of the same file (replacing every day) is timed too. Memory:
tracemalloc peak of a re-import, and the peak RSS of a fresh process doing only the import.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[250_000, 1_000_000])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/huifu_bench_td")
    parser.add_argument("--rss-only", help=argparse.SUPPRESS)  # child process: import PATH, print peak RSS
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings")
    sys.path.insert(0, str(ROOT / "bench"))
    from run import ensure_database

    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.rss_only:
        import resource

        from huifu.tradingdata.services import import_daily_file

        with open(args.rss_only, "rb") as f:
            batch = import_daily_file(opener=lambda: f, file_format="csv", original_name="rss.csv", actor=None)
        assert batch.status == "imported", batch.errors[:5]
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # KiB on Linux
        return
    call_command("migrate", verbosity=0)
    from huifu.directory.models import Organisation
    from huifu.products.catalogue import load_catalogue
    from huifu.products.models import Product
    from huifu.tradingdata.selectors import trading_calendar
    from huifu.tradingdata.services import import_daily_file
    from huifu.workdays.services import DEFAULT_SEED_YEARS, calendar_seed_years

    calendar_seed_years(years=DEFAULT_SEED_YEARS)
    load_catalogue(Product)
    for i in range(200):
        Organisation.objects.get_or_create(
            member_number=f"9{i:03d}",
            defaults={"kind": "futures_company", "name_zh": f"基准期货{i}", "name_en": f"B{i}"},
        )
    members = [f"9{i:03d}" for i in range(200)]
    futures = list(Product.objects.filter(kind="futures").values_list("code", flat=True))[:25]
    days = trading_calendar().trading_days_between(
        __import__("datetime").date(2023, 1, 1), __import__("datetime").date(2024, 12, 31)
    )
    results = []
    for n in args.rows:
        path = Path(f"/tmp/huifu-bench-{n}.csv")
        if not path.exists():
            with path.open("w") as out:
                out.write("trade_date,member_number,product_code,contract,volume,turnover,open_interest\n")
                written = 0
                for day in days:
                    for m in members:
                        for code in futures:
                            out.write(
                                f"{day},{m},{code},{code}2406,{written % 997},{written % 99991}.25,{written % 313}\n"
                            )
                            written += 1
                            if written >= n:
                                break
                        if written >= n:
                            break
                    if written >= n:
                        break

        def plain_copy(persistence: str, path: Path = path) -> float:
            """COPY the file into a table with the file's columns and the same unique key."""
            with connection.cursor() as c:
                c.execute("DROP TABLE IF EXISTS bench_plain")
                c.execute(
                    f"CREATE {persistence} TABLE bench_plain (trade_date date, member_number text, "
                    "product_code text, contract text, volume bigint, turnover numeric(20,2), open_interest bigint, "
                    "PRIMARY KEY (trade_date, member_number, product_code, contract))"
                )
                start = time.perf_counter()
                with (
                    path.open("rb") as f,
                    c.cursor.copy("COPY bench_plain FROM STDIN WITH (FORMAT csv, HEADER true)") as cp,
                ):
                    while chunk := f.read(1 << 20):
                        cp.write(chunk)
                seconds = time.perf_counter() - start
                c.execute("DROP TABLE bench_plain")
            return seconds

        # The target compares with a plain COPY into an ordinary (logged, durable) table, like the
        # statistics table itself; an UNLOGGED table (no write-ahead log) is shown for reference.
        plain = plain_copy("")
        plain_unlogged = plain_copy("UNLOGGED")
        with connection.cursor() as c:
            c.execute("TRUNCATE tradingdata_dailymemberstat")  # a fresh import, like the COPY (not timed)
        start = time.perf_counter()
        with path.open("rb") as f:
            batch = import_daily_file(opener=lambda f=f: f, file_format="csv", original_name=path.name, actor=None)
        elapsed = time.perf_counter() - start
        assert batch.status == "imported", batch.errors[:5]
        start = time.perf_counter()
        with path.open("rb") as f:
            again = import_daily_file(opener=lambda f=f: f, file_format="csv", original_name=path.name, actor=None)
        replace = time.perf_counter() - start
        assert again.rows_replaced == n, again.rows_replaced
        # Memory in a third (re-)import: tracemalloc slows Python down several times.
        tracemalloc.start()
        with path.open("rb") as f:
            import_daily_file(opener=lambda f=f: f, file_format="csv", original_name=path.name, actor=None)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        child = subprocess.run(
            [sys.executable, __file__, "--database-url", args.database_url, "--rss-only", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        rss_mb = int(child.stdout.strip().splitlines()[-1]) / 1024
        result = {
            "rows": n,
            "plain_copy_s": round(plain, 2),
            "plain_copy_unlogged_s": round(plain_unlogged, 2),
            "import_s": round(elapsed, 2),
            "ratio": round(elapsed / plain, 2),
            "reimport_replace_s": round(replace, 2),
            "peak_python_mem_mb": round(peak / 1e6, 1),
            "peak_rss_mb": round(rss_mb, 1),
        }
        results.append(result)
        print(
            f"rows={n:>9} plain_copy={plain:6.2f}s (unlogged {plain_unlogged:5.2f}s) import={elapsed:6.2f}s "
            f"ratio={elapsed / plain:4.2f} (vs unlogged {elapsed / plain_unlogged:4.2f}) "
            f"reimport(replace)={replace:6.2f}s peak_python_mem={peak / 1e6:6.1f}MB peak_rss={rss_mb:6.1f}MB "
            f"imported={batch.rows_imported}"
        )
    out = ROOT / "bench" / "results" / f"tradingdata-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
