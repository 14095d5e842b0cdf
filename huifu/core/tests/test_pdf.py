"""The one PDF helper embeds its Chinese font, and every PDF producer goes through it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from reportlab.lib.units import mm

from huifu.core import pdf
from huifu.core.testing.pdfs import assert_pdf_embeds_its_font

ROOT = Path(__file__).resolve().parents[2]


def test_helper_embeds_a_subset_of_the_font_and_renders_chinese_and_money():
    content = pdf.build(
        [
            pdf.para("会员之声反馈答复函", "title"),
            pdf.para("批准金额 ¥1,177,164.00 <script>&"),
            pdf.table([["项目", "金额（元）"], ["场地费", "¥80,000.00"]], [100 * mm, 60 * mm]),
        ],
        title="测试",
    )
    assert_pdf_embeds_its_font(content)
    # a subset: the 10.5 MB font adds tens of kilobytes, not megabytes
    assert len(content) < 200_000


def test_the_vendored_font_is_the_documented_file():
    readme = (ROOT / "core" / "fonts" / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(pdf.FONT_PATH.read_bytes()).hexdigest()
    assert digest in readme
    assert (ROOT / "core" / "fonts" / "OFL.txt").read_text(encoding="utf-8").count("SIL Open Font License") >= 1


def test_no_module_builds_a_pdf_outside_the_helper():
    """A CID font (STSong-Light) is only referenced; a module with its own document template or
    font registration would bypass the embedded font."""
    pattern = re.compile(r"UnicodeCIDFont|STSong|SimpleDocTemplate\s*\(|registerFont\s*\(|canvas\.Canvas\s*\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "pdfs.py"
        and path != ROOT / "core" / "pdf.py"
        and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
