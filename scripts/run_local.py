"""`make run`: the job worker and the web server side by side, stopped together."""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def main() -> int:
    env = dict(os.environ, HUIFU_DEBUG=os.environ.get("HUIFU_DEBUG", "1"))
    worker = subprocess.Popen([PY, "manage.py", "db_worker", "--interval", "1"], cwd=ROOT, env=env)
    try:
        print(
            "\nHuifu is starting on http://127.0.0.1:8000  (Ctrl+C stops the server and the job worker)\n", flush=True
        )
        return subprocess.call([PY, "manage.py", "runserver", "127.0.0.1:8000"], cwd=ROOT, env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


if __name__ == "__main__":
    sys.exit(main())
