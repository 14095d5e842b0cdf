"""`make run`: the job worker and the web server side by side, stopped together."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


BANNER = """
Huifu is running on http://127.0.0.1:8000  (Ctrl+C stops the server and the job worker)
  member:      member-a-admin@demo.huifu.example / Huifu-demo-2026
  coordinator: coordinator@demo.huifu.example / Huifu-demo-2026
               TOTP code: .venv/bin/python manage.py demo_totp coordinator@demo.huifu.example
  every demo login: printed by seed_demo above, and in README.md
"""


def main() -> int:
    env = dict(os.environ, HUIFU_DEBUG=os.environ.get("HUIFU_DEBUG", "1"))
    worker = subprocess.Popen([PY, "manage.py", "huifu_worker", "--interval", "1"], cwd=ROOT, env=env)
    server = subprocess.Popen([PY, "manage.py", "runserver", "127.0.0.1:8000"], cwd=ROOT, env=env)
    try:
        # Printed once the server has started, so the worker's start-up lines do not bury it.
        time.sleep(4)
        print(BANNER, flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
