"""Flash crowd on a popular talk (issue #11): 10,000 distinct people sign up at once for 1,000 seats.

    HUIFU_BENCH_PORT=8795 .venv/bin/python bench/events_flash_crowd.py [--people 10000] [--capacity 1000]
        [--clients 32] [--workers 4] [--cancel 200]
        [--database-url postgres://postgres@127.0.0.1:5432/huifu_bench_flash] [--drop]

Data: one published session of a monthly-talk series (capacity ``--capacity``, audience
individual investors, registration open), built through the services by a ``manage.py shell``
script; ``--people`` public participants inserted by one ``INSERT … SELECT generate_series``
(all share one password hash, computed once), and one logged-in browser session each: the
session rows (``django_session``, signed by Django's own ``SessionStore.encode``; no password is
hashed) are loaded by one ``COPY``.

Run: gunicorn (``--workers`` sync workers) on 127.0.0.1:``HUIFU_BENCH_PORT`` (default 8795);
``--clients`` threads each POST the real registration form (``/events/sessions/<id>/register/``,
``audience=individuals``, CSRF cookie + header, the person's session cookie), one request at a
time, each person once, in a random order. Reported: sign-ups/s over the whole crowd, p50/p95/max
latency, non-302 answers. Then the proof, read from the database:

- over capacity: seats held (confirmed + offered) minus the capacity, must be ≤ 0;
- lost: people with no registration or not exactly one (each must be confirmed or wait-listed);
- arrival order: the waiting list ordered by (created_at, id) is the order of ids, every seated
  registration precedes every waiting one, and for every two sign-ups A and B where A's answer
  came back before B was sent (client clocks), A is ahead of B in line;
- errors: non-302 answers, answers redirecting anywhere but the session's page, people lost.

Then ``--cancel`` confirmed people cancel through the real cancel form (concurrently) and the
database must show exactly the first ``--cancel`` people of the waiting list ``offered``, all others
still waiting in the same order, seats held = capacity.

Results go to bench/results/flash-<timestamp>.json with the load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import ensure_database, manage  # noqa: E402

PORT = int(os.environ.get("HUIFU_BENCH_PORT", "8795"))
EMAIL_DOMAIN = f"r{int(time.time())}.flash.bench.example"  # one crowd per run
CSRF_TOKEN = "F" * 32  # an unmasked CSRF secret: cookie and header carry the same value

SETUP = r"""
import datetime, json
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from huifu.accounts.system import system_actor
from huifu.events import services
from huifu.events.models import Series, Session
actor = system_actor()
day = timezone.localdate() + datetime.timedelta(days=30)
title = f"闪购压测系列 {day.year}"
series = Series.objects.filter(year=day.year, title_zh=title).first() or services.series_create(
    actor=actor, year=day.year, kind="monthly_talk", title_zh=title
)
session = services.session_create(
    actor=actor, series=series, title="热门讲座：原油年度展望", date=day, slot="afternoon", mode="on_site",
    address="上海市浦东新区浦电路500号", room="一楼报告厅", capacity=%(capacity)d, topic_type="market_outlook",
    audiences=["individuals"], programme="14:00 主题演讲",
)
session = services.session_publish(actor=actor, session=session)
print(json.dumps({"session": session.pk, "password": make_password("flash-bench-not-a-login")}))
"""

SESSIONS = r"""
import json, sys, datetime
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils.crypto import get_random_string
from django.utils import timezone
from django.db import connection
from huifu.accounts.middleware import IDLE_SESSION_KEY
from huifu.accounts.models import User
import time
users = list(User.objects.filter(email__endswith="@%(domain)s").order_by("pk").values_list("pk", "password"))
store = SessionStore()
expire = timezone.now() + datetime.timedelta(hours=6)
now = int(time.time())
hashes = {}
rows = []
out = {}
for pk, password in users:
    if password not in hashes:
        hashes[password] = User(password=password).get_session_auth_hash()
    key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    data = store.encode({
        SESSION_KEY: str(pk),
        BACKEND_SESSION_KEY: "allauth.account.auth_backends.AuthenticationBackend",
        HASH_SESSION_KEY: hashes[password],
        IDLE_SESSION_KEY: now,
    })
    rows.append((key, data, expire))
    out[pk] = key
with connection.cursor() as cursor:
    with cursor.copy("COPY django_session (session_key, session_data, expire_date) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
print(json.dumps(out))
"""

USERS_SQL = """
INSERT INTO accounts_user (password, is_superuser, email, full_name, phone, kind, org_role, is_department_head,
    is_active, is_staff, preferred_language, date_joined)
SELECT %(password)s, false, 'p' || g || '@' || %(domain)s, '压测投资者' || g, '', 'public', '', false, true, false,
       'zh-hans', now()
FROM generate_series(1, %(people)s) g
"""


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load() -> float:
    return round(os.getloadavg()[0], 2)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def post(path: str, session_key: str, body: str) -> tuple[float, float, int, str]:
    """One POST on a fresh connection (gunicorn's sync workers close it after each answer)."""
    t0 = time.time()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
        conn.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"sessionid={session_key}; csrftoken={CSRF_TOKEN}",
                "X-CSRFToken": CSRF_TOKEN,
                "Referer": f"http://127.0.0.1:{PORT}/",
            },
        )
        response = conn.getresponse()
        response.read()
        status, location = response.status, response.getheader("Location", "")
        conn.close()
    except OSError as exc:
        status, location = 0, repr(exc)
    return t0, time.time(), status, location


def crowd(jobs: list[tuple[int, str, str, str]], clients: int) -> tuple[dict[int, tuple], float]:
    """Run (person, path, session_key, body) jobs with ``clients`` threads; each job once."""
    results: dict[int, tuple] = {}
    lock = threading.Lock()
    cursor = iter(jobs)

    def client() -> None:
        while True:
            with lock:
                job = next(cursor, None)
            if job is None:
                return
            person, path, key, body = job
            answer = post(path, key, body)
            with lock:
                results[person] = answer

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(max(int(round(len(values) * q)) - 1, 0), len(values) - 1)]


def timing(results: dict[int, tuple], elapsed: float) -> dict:
    ms = [(r[1] - r[0]) * 1000 for r in results.values()]
    return {
        "requests": len(results),
        "seconds": round(elapsed, 1),
        "per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def registrations(url: str, session_id: int) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT r.id, r.person_id, r.state, r.created_at FROM events_registration r "
            "WHERE r.session_id = %s ORDER BY r.created_at, r.id",
            [session_id],
        ).fetchall()


def prove_signups(url: str, session_id: int, capacity: int, results: dict[int, tuple], people: list[int]) -> dict:
    rows = registrations(url, session_id)
    by_person: dict[int, list[tuple]] = {}
    for row in rows:
        by_person.setdefault(row[1], []).append(row)
    seated = [r for r in rows if r[2] in ("confirmed", "offered")]
    waiting = [r for r in rows if r[2] == "waitlisted"]
    other = [r for r in rows if r[2] not in ("confirmed", "offered", "waitlisted")]
    lost = [p for p in people if len(by_person.get(p, [])) != 1]
    # Arrival order: (created_at, id) order = id order; seated before waiting.
    ids_in_line = [r[0] for r in rows]
    order_by_time_is_id_order = ids_in_line == sorted(ids_in_line)
    seated_first = not seated or not waiting or max(r[0] for r in seated) < min(r[0] for r in waiting)
    # Happens-before: if A's answer came back before B was sent, A is ahead of B.
    position = {r[1]: i for i, r in enumerate(rows)}
    answered = sorted((results[p][1], position[p]) for p in people if p in position and p in results)
    sent = sorted((results[p][0], position[p], p) for p in people if p in position and p in results)
    violations, best, k = 0, -1, 0
    for send_time, pos, _person in sent:
        while k < len(answered) and answered[k][0] < send_time:
            best = max(best, answered[k][1])
            k += 1
        if best > pos:
            violations += 1
    session_page = f"/events/public/{session_id}/"
    bad_answers = [p for p, r in results.items() if r[2] != 302 or not r[3].endswith(session_page)]
    return {
        "registrations": len(rows),
        "seated": len(seated),
        "confirmed": sum(r[2] == "confirmed" for r in rows),
        "waitlisted": len(waiting),
        "other_states": len(other),
        "over_capacity": max(len(seated) - capacity, 0),
        "lost": len(lost),
        "waiting_list_in_id_order": order_by_time_is_id_order,
        "seated_before_waiting": seated_first,
        "happens_before_violations": violations,
        "errors": len(bad_answers) + len(lost) + len(other),
        "bad_answers": len(bad_answers),
        "bad_answer_sample": [results[p][2:] for p in bad_answers[:5]],
    }


def prove_cancellations(url: str, session_id: int, capacity: int, before: list[tuple], cancelled: set[int]) -> dict:
    line_before = [r for r in before if r[2] == "waitlisted"]
    n = len(cancelled)
    rows = {r[0]: r for r in registrations(url, session_id)}
    expected_offered = {r[0] for r in line_before[:n]}
    offered = {rid for rid, r in rows.items() if r[2] == "offered"}
    still_waiting = [r[0] for r in line_before[n:]]
    return {
        "cancelled": sum(rows[r[0]][2] == "cancelled" for r in before if r[1] in cancelled),
        "offered": len(offered),
        "offered_exactly_the_next": offered == expected_offered,
        "rest_still_waiting_in_order": all(rows[rid][2] == "waitlisted" for rid in still_waiting),
        "seated_after": sum(r[2] in ("confirmed", "offered") for r in rows.values()),
        "over_capacity": max(sum(r[2] in ("confirmed", "offered") for r in rows.values()) - capacity, 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--capacity", type=int, default=1_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cancel", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/huifu_bench_flash")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    import psycopg

    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        HUIFU_DEBUG="0",
        HUIFU_TASKS_BACKEND="database",  # as in production: a mail is a queued job, sent by the worker
        HUIFU_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings")
    print(f"start: {uptime()}", flush=True)
    t0 = time.perf_counter()
    if args.fresh:
        drop_database(args.database_url)
    ensure_database(args.database_url)  # a rerun adds a new session and new people (own e-mail domain)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    setup = json.loads(manage(env, "shell", "-c", SETUP % {"capacity": args.capacity}).strip().splitlines()[-1])
    session_id = setup["session"]
    with psycopg.connect(args.database_url) as conn:
        conn.execute(USERS_SQL, {"password": setup["password"], "domain": EMAIL_DOMAIN, "people": args.people})
        conn.commit()
    keys = {
        int(k): v
        for k, v in json.loads(
            manage(env, "shell", "-c", SESSIONS % {"domain": EMAIL_DOMAIN}).strip().splitlines()[-1]
        ).items()
    }
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    people = sorted(keys)
    print(
        f"built session {session_id}, {len(people)} people with login sessions in {time.perf_counter() - t0:.1f}s",
        flush=True,
    )

    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "huifu.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(args.workers)]
        + ["--timeout", "300", "--backlog", "2048", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    report: dict = {"command": " ".join(sys.argv), "people": len(people), "capacity": args.capacity}
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        # Warm every worker (imports, templates, connections): a few anonymous page views.
        for _ in range(args.workers * 3):
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/events/public/{session_id}/", timeout=60).read()  # noqa: S310
        random.seed(args.seed)
        order = list(people)
        random.shuffle(order)
        path = f"/events/sessions/{session_id}/register/"
        jobs = [(p, path, keys[p], "audience=individuals") for p in order]
        report["load_before"] = load()
        report["uptime_before"] = uptime()
        print(
            f"flash crowd: {len(jobs)} sign-ups, {args.clients} clients, {args.workers} workers; {report['uptime_before']}",
            flush=True,
        )
        results, elapsed = crowd(jobs, args.clients)
        report["uptime_after"] = uptime()
        report["signups"] = timing(results, elapsed)
        print(f"  {report['signups']}  load {load()}", flush=True)
        before = registrations(args.database_url, session_id)
        report["proof"] = prove_signups(args.database_url, session_id, args.capacity, results, people)
        print(f"  proof: {report['proof']}", flush=True)

        # Cancellations: the first --cancel confirmed people (a random pick) leave.
        confirmed = [r for r in before if r[2] == "confirmed"]
        leaving = random.sample(confirmed, min(args.cancel, len(confirmed)))
        jobs = [(r[1], f"/events/registrations/{r[0]}/cancel/", keys[r[1]], "") for r in leaving]
        results, elapsed = crowd(jobs, min(args.clients, 16))
        report["cancellations"] = timing(results, elapsed)
        report["cancellations"]["bad_answers"] = sum(r[2] != 302 for r in results.values())
        report["cancel_proof"] = prove_cancellations(
            args.database_url, session_id, args.capacity, before, {r[1] for r in leaving}
        )
        print(f"  cancellations: {report['cancellations']}", flush=True)
        print(f"  cancel proof: {report['cancel_proof']}", flush=True)
        report["uptime_end"] = uptime()
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
    target = report.get("signups", {}).get("seconds", 1e9) <= 120
    proof = report.get("proof", {})
    ok = (
        target
        and proof.get("over_capacity") == 0
        and proof.get("lost") == 0
        and proof.get("errors") == 0
        and proof.get("happens_before_violations") == 0
        and proof.get("waiting_list_in_id_order")
        and proof.get("seated_before_waiting")
        and report.get("cancel_proof", {}).get("offered_exactly_the_next")
    )
    report["target_120s_met"] = target
    report["all_checks_pass"] = bool(ok)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"flash-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"target (120 s) met: {target}; all checks pass: {bool(ok)}; end: {uptime()}", flush=True)
    if args.drop:
        drop_database(args.database_url)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
