"""Checks on generated PDFs, shared by every app that produces one (see ``huifu.core.pdf``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from huifu.core.pdf import FONT_NAME

BASE_FONTS = {b"Helvetica"}  # reportlab's initial canvas font, one of the 14 every viewer has


def assert_pdf_embeds_its_font(content: bytes) -> None:
    """The PDF sets text only in the embedded subset of the kit's font: no CID font (STSong-Light
    is referenced, not embedded) and no other non-standard font. With poppler's ``pdffonts``
    installed, its "emb" column is checked too."""
    assert content.startswith(b"%PDF")
    names = set(re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", content))
    subset = [n for n in names if re.fullmatch(rb"[A-Z]{6}\+" + FONT_NAME.encode() + rb"-Regular", n)]
    assert subset, f"no embedded subset of {FONT_NAME}: {names}"
    assert names - set(subset) <= BASE_FONTS, f"other fonts referenced: {names}"
    assert b"/FontFile2" in content and b"STSong" not in content and b"UniGB" not in content
    if shutil.which("pdffonts"):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "x.pdf"
            path.write_bytes(content)
            command = [shutil.which("pdffonts") or "pdffonts", str(path)]
            out = subprocess.run(command, capture_output=True, check=True, text=True).stdout  # noqa: S603
        rows = [line.split() for line in out.splitlines()[2:] if FONT_NAME in line]
        assert rows and all(row[-5] == "yes" for row in rows), out  # the "emb" column
