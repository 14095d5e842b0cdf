"""The suite needs Debian packages a fresh machine lacks: Chromium (browser tests),
poppler-utils (`pdftotext`, to read back the PDFs Huifu generates) and a Chinese font (without
one, every screenshot a browser test saves shows boxes where the Chinese should be). Install them when this
machine can (root with apt); otherwise say plainly what will be skipped. CI sets
HUIFU_REQUIRE_BROWSER=1, which turns a missing tool into a failure."""

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("HUIFU_CHROMIUM", "/usr/bin/chromium")


def _missing() -> list[str]:
    """Debian packages still to install."""
    missing = []
    if not os.path.exists(CHROMIUM):
        missing.append("chromium")
    if not shutil.which("pdftotext"):
        missing.append("poppler-utils")
    if not os.path.exists("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"):
        missing.append("fonts-wqy-microhei")
    return missing


def main() -> int:
    missing = _missing()
    if not missing:
        return 0
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing Debian packages for the test suite: {' '.join(missing)}…", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.call(["apt-get", "update", "-q"], env=env)
        subprocess.call(["apt-get", "install", "-y", "-q", *missing], env=env)
        missing = _missing()
        if not missing:
            return 0
    message = f"missing {', '.join(missing)}: browser and PDF read-back tests will be skipped or fail."
    if os.environ.get("HUIFU_REQUIRE_BROWSER") == "1":
        print("ERROR: " + message, file=sys.stderr)
        return 1
    print("WARNING: " + message, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
