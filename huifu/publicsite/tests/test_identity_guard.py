"""Guard: no product code names the exchange. Its names, short names, subsidiary, addresses,
hotline and mailbox are data (the identity, ``huifu.core.identity``); only tests, translations,
migrations, demo data and the exchange profiles may spell them. A line that must keep a name
for compatibility carries the marker ``identity-guard: compatibility alias``."""

from __future__ import annotations

import re
from pathlib import Path

import huifu

ROOT = Path(huifu.__file__).resolve().parent
SUFFIXES = {".py", ".html", ".txt"}
NAMES = re.compile(
    r"上海期货|上期所|上期发|上期能源|上海国际能源|Shanghai Futures|Shanghai International Energy"
    r"|SHFE|shfe\.com|\bINE\b|浦电路|800-?820-?3618|8008203618"
)
ALLOWED_MARKER = "identity-guard: compatibility alias"


def _data_or_test(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    parts = set(rel.parts)
    name = rel.name
    return bool(
        parts & {"tests", "locale", "migrations", "demo_data", "profiles", "testing"}
        or name.startswith("test_")
        or name in {"conftest.py", "demo.py", "demo_data.py", "catalogue.py"}
    )


def _offences(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file() or _data_or_test(path, root):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if NAMES.search(line) and ALLOWED_MARKER not in line:
                found.append(f"{path.relative_to(root.parent)}:{number}: {line.strip()[:120]}")
    return found


def test_no_product_code_names_the_exchange():
    offences = _offences()
    assert not offences, "read the identity (huifu.core.identity.exchange()) instead of:\n" + "\n".join(offences)


def test_the_guard_sees_a_name_in_product_code(tmp_path):
    """The guard can fail: a name written into product code is reported, demo data and tests not."""
    package = tmp_path / "huifu"
    (package / "letters" / "tests").mkdir(parents=True)
    (package / "letters" / "texts.py").write_text('SENDER = "上海期货交易所会员管理部"\n', encoding="utf-8")
    (package / "letters" / "page.html").write_text("<p>Call 800-820-3618 or write to msc@shfe.com.cn</p>\n")
    (package / "letters" / "demo.py").write_text('NAME = "上海期货交易所"\n', encoding="utf-8")
    (package / "letters" / "tests" / "test_x.py").write_text('NAME = "SHFE"\n', encoding="utf-8")
    assert [line.split(":")[0] for line in _offences(package)] == ["huifu/letters/page.html", "huifu/letters/texts.py"]
