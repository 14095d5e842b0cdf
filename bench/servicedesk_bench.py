"""Service-desk latency over real HTTP on PostgreSQL: 200 companies, 50,000 feedback items.

    .venv/bin/python bench/servicedesk_bench.py [--companies 200] [--items 50000] [--requests 200]
        [--database-url postgres://postgres@127.0.0.1:5432/huifu_bench_sd]

Migrates the database, bulk-loads the volumes with ``manage.py servicedesk_bench_setup``
(idempotent), serves the app with gunicorn (2 workers) and requests the staff work queue, the
coordinator's feedback list and a member's feedback list sequentially, reporting p50/p95/max
and the SQL query count of one request (from a Django test client in a shell).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import PORT, ensure_database, fetch, manage  # noqa: E402

PAGES = [
    ("coordinator", "/queue/"),
    ("coordinator", "/queue/?status=overdue"),
    ("coordinator", "/queue/?page=40"),
    ("dept_staff", "/queue/"),
    ("dept_staff", "/queue/?page=20"),
    ("coordinator", "/feedback/"),
    ("member", "/feedback/"),
    ("coordinator", "/feedback/reports/"),
]

SESSIONS = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from huifu.accounts.models import User
from huifu.core.testing.auth import ensure_totp
picks = {"member": User.objects.get(email="bench-member-0@bench.example"),
         "coordinator": User.objects.get(email="bench-coordinator@bench.example"),
         "dept_staff": User.objects.get(email="bench-dept-staff@bench.example")}
ensure_totp(picks["coordinator"])
ensure_totp(picks["dept_staff"])
out = {"sessions": {}, "queries": {}}
for name, user in picks.items():
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s["allauth_mfa_authenticated"] = True
    s.create()
    out["sessions"][name] = s.session_key
print(json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=200)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/huifu_bench_sd")
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
    t0 = time.perf_counter()
    print(
        manage(env, "servicedesk_bench_setup", "--companies", str(args.companies), "--items", str(args.items)).strip(),
        f"({time.perf_counter() - t0:.1f}s)",
    )
    manage(env, "collectstatic", "--noinput")
    cookies = json.loads(manage(env, "shell", "-c", SESSIONS).strip().splitlines()[-1])["sessions"]
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "huifu.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        for persona, path in PAGES:
            for _ in range(5):
                fetch(path, cookies[persona])
            timings, statuses = [], set()
            for _ in range(args.requests):
                ms, status = fetch(path, cookies[persona])
                timings.append(ms)
                statuses.add(status)
            timings.sort()
            row = {
                "persona": persona,
                "path": path,
                "status": sorted(statuses),
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                "max_ms": round(timings[-1], 1),
            }
            results.append(row)
            print(
                f"{persona:12} {path:32} status={row['status']} p50={row['p50_ms']}ms p95={row['p95_ms']}ms "
                f"max={row['max_ms']}ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"servicedesk-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps({"companies": args.companies, "items": args.items, "results": results}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
