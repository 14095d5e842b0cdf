"""Service desk at 10^5 and 10^6 tracked items, sequential and concurrent (issue #9).

    .venv/bin/python bench/scale_bench.py [--tracked 100000 1000000] [--requests 40]
        [--clients 8 32] [--seconds 8] [--database-url postgres://postgres@127.0.0.1:5432/huifu_bench_scale]
        [--drop] [--only PATH-SUBSTRING ...]

Builds the data with set-based SQL (``generate_series``), not Python objects: the base
(companies, users, departments, topics) comes from ``servicedesk_bench_setup`` at a tiny size,
then forms, their five items, one tracked deadline per form and per item, department links
(every third to a second department) and topics are inserted by a few ``INSERT … SELECT``
statements until the database holds the requested number of tracked items (forms are 1/6 of
them; 78% answered, done on time or late; the rest open, spread over ten years). Each size is
then served by gunicorn (2 sync workers) on 127.0.0.1 and measured:

- sequentially: p50/p95 of every staff and member list, deep pages (the queue 5,000 items in, by
  its keyset cursor; the feedback list's page 200), search, the reports page (its summary is
  refreshed after each build by ``servicedesk_report_refresh``) and the main API lists (``--requests`` each, at most 30 s per page), with ``/healthz`` first;
- concurrently: requests/s, p95 and errors with 8 and 32 clients (threads, one request at a time
  each, ``--seconds`` per run) for ``/healthz``, the staff queue and the member's feedback list.

Each figure is printed with its ratio to ``/healthz`` measured in the same run and the 1-minute
load average. Results go to bench/results/scale-<timestamp>.json. ``--drop`` drops the database
at the end. ``--only`` measures only the paths containing one of the given substrings (e.g.
``--only q= /api/``; ``/healthz`` is always measured first, the report summary is refreshed
only when the reports page is measured); a database already at the requested size is reused
without building.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import ensure_database, manage  # noqa: E402
from servicedesk_bench import SESSIONS  # noqa: E402

PORT = int(os.environ.get("HUIFU_BENCH_PORT", "8791"))  # two benches on one machine need two ports
SEQUENTIAL = [
    ("coordinator", "/healthz"),
    ("coordinator", "/queue/"),
    ("coordinator", "/queue/?status=overdue"),
    ("coordinator", "/queue/?after={deep}"),
    ("dept_staff", "/queue/"),
    ("dept_staff", "/queue/?after={deep}"),
    ("coordinator", "/feedback/"),
    ("coordinator", "/feedback/?page=200"),
    ("coordinator", "/feedback/?q=%E4%BF%9D%E8%AF%81%E9%87%91"),  # 保证金
    ("member", "/feedback/"),
    ("coordinator", "/feedback/reports/"),
    ("coordinator", "/api/v1/feedback/forms/"),
    ("coordinator", "/api/v1/feedback/items/"),
    ("member", "/api/v1/feedback/items/"),
]
# The concurrency target: the work queue (coordinator and department staff) and the
# member's feedback list each at >= 1/3 of /healthz's requests/s with 32 clients.
CONCURRENT = [
    ("coordinator", "/healthz"),
    ("coordinator", "/queue/"),
    ("dept_staff", "/queue/"),
    ("member", "/feedback/"),
    # The floor, not a target: a logged-in page that lists nothing (session, user, second-factor
    # and idle checks, the menu, the base template). /healthz answers before all of that.
    ("member", "/accounts/profile/"),
]

GROW_SQL = r"""
CREATE TEMP TABLE bench_texts AS
  SELECT row_number() OVER (ORDER BY text) - 1 AS n, text, tokens, keywords
  FROM (SELECT DISTINCT text, tokens, keywords FROM servicedesk_feedbackitem) t;
CREATE TEMP TABLE bench_depts AS
  SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM directory_department WHERE kind = 'business'
  ORDER BY id LIMIT 4;

INSERT INTO servicedesk_feedbackform (organisation_id, year, serial, member_number, form_date, contact_name,
    phone, email, channel, status, received_at, idempotency_key, intake_report, pause_reason,
    member_clarification, created_at, updated_at)
SELECT o.a[1 + g %% array_length(o.a, 1)], extract(year FROM r.at)::int, 100000 + %(base)s + g, '', r.at::date,
       '联系人', '021-00000000', 'contact@bench.example', (ARRAY['portal','docx','email','staff'])[1 + g %% 4],
       CASE WHEN g %% 100 < 78 THEN 'replied' ELSE 'in_progress' END, r.at, '', '{}', '', '', now(), now()
FROM generate_series(1, %(forms)s) g
CROSS JOIN (SELECT array_agg(id ORDER BY id) a FROM directory_organisation WHERE name_zh LIKE '基准期货%%') o
CROSS JOIN LATERAL (SELECT now() - (g %% 3650) * interval '1 day' - (g %% 1440) * interval '1 minute' AS at) r;

INSERT INTO servicedesk_feedbackitem (form_id, kind, number, text, status, owner_id, tokens, keywords,
    organisation_id, created_at)
SELECT f.id, CASE WHEN k <= 3 THEN 'suggestion' ELSE 'help_request' END, CASE WHEN k <= 3 THEN k ELSE k - 3 END,
       t.text, CASE WHEN f.status = 'replied' THEN 'replied' ELSE 'assigned' END, %(staff)s, t.tokens, t.keywords,
       f.organisation_id, now()
FROM servicedesk_feedbackform f
CROSS JOIN generate_series(1, 5) k
JOIN bench_texts t ON t.n = (f.id * 5 + k) %% (SELECT count(*) FROM bench_texts)
WHERE f.id > %(form_floor)s;

INSERT INTO tracking_trackeditem (kind, title, target_type_id, target_id, url, organisation_id, department_id,
    owner_id, topic, status, received_at, deadline_rule, deadline_amount, due_at, provisional, warnings,
    pause_reason, paused_working_days, paused_days_total, done_at, on_time, created_at, updated_at)
SELECT s.kind, s.title, s.ct, s.target_id::text, s.url, s.organisation_id,
       (SELECT id FROM bench_depts WHERE n = s.target_id %% 4), %(staff)s, '',
       CASE WHEN s.done THEN 'done' ELSE 'open' END, s.received_at, 'calendar_days', 14,
       s.received_at + interval '14 days', false, '[]', '', 0, 0,
       CASE WHEN s.done THEN s.received_at + (3 + s.target_id %% 16) * interval '1 day' END,
       CASE WHEN s.done THEN 3 + s.target_id %% 16 <= 14 END, now(), now()
FROM (
  SELECT 'feedback_form' AS kind, '会员之声反馈 ' || f.year || '-' || f.serial AS title, %(ct_form)s AS ct,
         f.id AS target_id, '/feedback/' || f.id || '/' AS url, f.organisation_id, f.received_at,
         f.status = 'replied' AS done
  FROM servicedesk_feedbackform f WHERE f.id > %(form_floor)s
  UNION ALL
  SELECT 'feedback_item', left(i.text, 300), %(ct_item)s, i.id, '/feedback/items/' || i.id || '/',
         i.organisation_id, f.received_at, f.status = 'replied'
  FROM servicedesk_feedbackitem i JOIN servicedesk_feedbackform f ON f.id = i.form_id
  WHERE f.id > %(form_floor)s
) s;

INSERT INTO tracking_trackeditem_departments (trackeditem_id, department_id)
SELECT t.id, t.department_id FROM tracking_trackeditem t WHERE t.id > %(tracked_floor)s
UNION ALL
SELECT t.id, d.id FROM tracking_trackeditem t
JOIN bench_depts d ON d.n = (t.target_id::bigint + 1) %% 4
WHERE t.id > %(tracked_floor)s AND t.target_id::bigint %% 3 = 0;

INSERT INTO servicedesk_feedbackitem_departments (feedbackitem_id, department_id)
SELECT i.id, d.id FROM servicedesk_feedbackitem i JOIN bench_depts d ON d.n = i.id %% 4
WHERE i.form_id > %(form_floor)s;

INSERT INTO servicedesk_feedbackitem_topics (feedbackitem_id, topic_id)
SELECT i.id, (SELECT array_agg(id ORDER BY id) FROM servicedesk_topic)[1 + i.id %% 6]
FROM servicedesk_feedbackitem i WHERE i.form_id > %(form_floor)s AND i.id %% 10 < 6;
"""


def load() -> float:
    return os.getloadavg()[0]


def grow(url: str, tracked: int) -> tuple[int, float]:
    """Add forms (and their items and tracked deadlines) until ``tracked`` items exist."""
    import psycopg

    with psycopg.connect(url, autocommit=False) as conn:
        have = conn.execute("SELECT count(*) FROM tracking_trackeditem").fetchone()[0]
        forms = max((tracked - have) // 6, 0)
        if not forms:
            return have, 0.0
        t0 = time.perf_counter()
        one = conn.execute
        params = {
            "forms": forms,
            "base": one("SELECT coalesce(max(serial), 0) FROM servicedesk_feedbackform").fetchone()[0],
            "form_floor": one("SELECT coalesce(max(id), 0) FROM servicedesk_feedbackform").fetchone()[0],
            "tracked_floor": one("SELECT coalesce(max(id), 0) FROM tracking_trackeditem").fetchone()[0],
            "staff": one("SELECT id FROM accounts_user WHERE email = 'bench-coordinator@bench.example'").fetchone()[0],
            "ct_form": one(
                "SELECT id FROM django_content_type WHERE app_label='servicedesk' AND model='feedbackform'"
            ).fetchone()[0],
            "ct_item": one(
                "SELECT id FROM django_content_type WHERE app_label='servicedesk' AND model='feedbackitem'"
            ).fetchone()[0],
        }
        with conn.cursor() as cursor:
            for statement in GROW_SQL.split(";\n\n"):
                cursor.execute(statement, params)
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        total = conn.execute("SELECT count(*) FROM tracking_trackeditem").fetchone()[0]
    return total, time.perf_counter() - t0


def fetch(path: str, session: str) -> tuple[float, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": f"sessionid={session}"})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return (time.perf_counter() - t0) * 1000, status


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(int(len(values) * 0.95) - 1, 0)]


def deep_cursor(url: str, offset: int = 5000) -> str:
    """The queue's keyset cursor after the ``offset``-th active item (as ``huifu.core.keyset``)."""
    import base64

    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT due_at, id FROM tracking_trackeditem WHERE status IN ('open', 'paused') "
            "ORDER BY due_at, id OFFSET %s LIMIT 1",
            [offset],
        ).fetchone()
    raw = json.dumps([row[0].isoformat(), row[1]]) if row else "[]"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def wanted(path: str, only: list[str] | None) -> bool:
    return not only or path == "/healthz" or any(part in path for part in only)


def sequential(cookies: dict[str, str], requests: int, deep: str, only: list[str] | None = None) -> list[dict]:
    rows, health = [], None
    for persona, template in SEQUENTIAL:
        if not wanted(template, only):
            continue
        path = template.format(deep=deep)
        fetch(path, cookies[persona])
        timings, statuses, t0 = [], set(), time.perf_counter()
        while len(timings) < requests and time.perf_counter() - t0 < 30:
            ms, status = fetch(path, cookies[persona])
            timings.append(ms)
            statuses.add(status)
        row = {
            "persona": persona,
            "path": path,
            "n": len(timings),
            "status": sorted(statuses),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(p95(timings), 1),
            "load": round(load(), 2),
        }
        health = health or row["p95_ms"]
        row["p95_vs_healthz"] = round(row["p95_ms"] / health, 1)
        rows.append(row)
        print(
            f"  seq {persona:12} {path:40} n={row['n']:3} status={row['status']} p50={row['p50_ms']}ms "
            f"p95={row['p95_ms']}ms ({row['p95_vs_healthz']}x healthz) load={row['load']}",
            flush=True,
        )
    return rows


def concurrent(cookies: dict[str, str], clients: int, seconds: float, only: list[str] | None = None) -> list[dict]:
    rows, health = [], None
    for persona, path in CONCURRENT:
        if not wanted(path, only):
            continue
        timings: list[float] = []
        errors = [0]
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def client() -> None:
            while time.perf_counter() < stop:  # noqa: B023
                ms, status = fetch(path, cookies[persona])  # noqa: B023
                with lock:  # noqa: B023
                    timings.append(ms)  # noqa: B023
                    if status != 200:
                        errors[0] += 1  # noqa: B023

        t0 = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
        row = {
            "persona": persona,
            "path": path,
            "clients": clients,
            "requests": len(timings),
            "errors": errors[0],
            "rps": round(len(timings) / elapsed, 1),
            "p95_ms": round(p95(timings), 1) if timings else None,
            "load": round(load(), 2),
        }
        health = health or row["rps"]
        row["rps_vs_healthz"] = round(row["rps"] / health, 2)
        rows.append(row)
        print(
            f"  c={clients:2} {persona:12} {path:14} {row['rps']:6} req/s ({row['rps_vs_healthz']} of healthz) "
            f"p95={row['p95_ms']}ms errors={row['errors']} load={row['load']}",
            flush=True,
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracked", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/huifu_bench_scale")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--only", nargs="+", help="measure only paths containing one of these substrings")
    args = parser.parse_args()
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        HUIFU_DEBUG="0",
        HUIFU_TASKS_BACKEND="immediate",
        HUIFU_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings")
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "servicedesk_bench_setup", "--companies", "200", "--items", "1000")
    manage(env, "collectstatic", "--noinput")
    cookies = json.loads(manage(env, "shell", "-c", SESSIONS).strip().splitlines()[-1])["sessions"]
    results = []
    for size in sorted(args.tracked):
        total, seconds = grow(args.database_url, size)
        print(f"{total} tracked items (built in {seconds:.1f}s, load {load():.2f})", flush=True)
        if wanted("/feedback/reports/", args.only):
            t0 = time.perf_counter()
            manage(env, "servicedesk_report_refresh")
            print(f"report summary refreshed in {time.perf_counter() - t0:.1f}s (load {load():.2f})", flush=True)
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "huifu.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", "2"]
            + ["--timeout", "180", "--backlog", "256", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                    break
                except OSError:
                    time.sleep(0.2)
            entry = {
                "tracked": total,
                "build_s": round(seconds, 1),
                "sequential": sequential(cookies, args.requests, deep_cursor(args.database_url), args.only),
            }
            entry["concurrent"] = [row for c in args.clients for row in concurrent(cookies, c, args.seconds, args.only)]
            results.append(entry)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # workers still busy with the last slow requests
                server.kill()
                server.wait()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"scale-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=2))
    if args.drop:
        import psycopg

        name = args.database_url.rsplit("/", 1)[1]
        with psycopg.connect(args.database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
