"""`make contract`: check the running API against its own OpenAPI schema with schemathesis.

A throwaway SQLite database in a temporary folder is migrated and filled by ``seed_demo``; a
token is created for the demo coordinator; gunicorn serves the project on 127.0.0.1 (a free
port); schemathesis reads ``/api/schema/`` from there and sends every request to that address
only (no redirects are followed). Writes and deletes are harmless: the database is thrown away.

Checks: no 5xx, every status code and content type declared, every response body valid
against its schema. Phases: ``examples`` and ``coverage`` (deterministic, bounded), so the run
takes a few minutes on two cores. Exit status is schemathesis's (non-zero on any failure).

    .venv/bin/python scripts/api_contract.py [extra schemathesis options]
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COORDINATOR = "coordinator@demo.huifu.example"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    return result.stdout


def _wait(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (a fixed 127.0.0.1 URL)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} (see its log: HUIFU_CONTRACT_KEEP=1)")


def main(extra: list[str]) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="huifu-contract-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="huifu.settings",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        HUIFU_DEBUG="0",
        HUIFU_SECRET_KEY=secrets.token_urlsafe(50),
        HUIFU_MEDIA_ROOT=str(tmp / "media"),
        HUIFU_INTAKE_MAILDIR=str(tmp / "intake" / "inbox"),
        HUIFU_INTAKE_DONE_DIR=str(tmp / "intake" / "done"),
        HUIFU_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        HUIFU_LOG_LEVEL="ERROR",
        HUIFU_API_RATE_USER="100000/minute",  # the run sends hundreds of requests a minute
        NO_PROXY="127.0.0.1",
    )
    env.pop("HUIFU_REDIS_URL", None)
    server = None
    try:
        print("contract: migrating and seeding a throwaway database", flush=True)
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "seed_demo")
        token = _manage(env, "create_token", COORDINATOR, "--name", "contract").strip()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "huifu.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp / "server.log", "w"),  # noqa: SIM115 (lives as long as the server)
        )
        _wait(f"{base}/api/schema/", server)
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"{base}/api/schema/",
            "--header",
            f"Authorization: Bearer {token}",
            "--phases",
            "examples,coverage",
            "--checks",
            CHECKS,
            "--max-redirects",
            "0",
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--seed",
            "8",
            "--no-color",
            *extra,
        ]
        print("contract: " + " ".join(c if "Bearer" not in c else "Authorization: Bearer ***" for c in command))
        return subprocess.run(command, cwd=tmp, env=env).returncode
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if os.environ.get("HUIFU_CONTRACT_KEEP"):
            print(f"contract: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
