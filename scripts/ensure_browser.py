"""Browser tests drive Debian's Chromium. Install it when this machine can (root with apt);
otherwise say plainly that browser tests will be skipped. CI sets HUIFU_REQUIRE_BROWSER=1,
which turns that skip into a failure."""

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("HUIFU_CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    if os.path.exists(CHROMIUM):
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Debian's chromium for the browser tests…", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.call(["apt-get", "update", "-q"], env=env)
        rc = subprocess.call(["apt-get", "install", "-y", "-q", "chromium"], env=env)
        if rc == 0 and os.path.exists(CHROMIUM):
            return 0
    message = f"Chromium not found at {CHROMIUM}: browser tests will be skipped (install Debian's chromium)."
    if os.environ.get("HUIFU_REQUIRE_BROWSER") == "1":
        print("ERROR: " + message, file=sys.stderr)
        return 1
    print("WARNING: " + message, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
