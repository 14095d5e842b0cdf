"""How fast and how cheaply Huifu refuses an Office zip bomb (issue #8).

Builds a ~400 KB .docx whose one part inflates to 400 MiB (zeros) and a same-size .xlsx, then, each
in a fresh process, refuses it through every entry point that opens Office files: the shared
check, the Word-form parser, the upload validation, and the directory .xlsx import. Prints wall
time and the process's peak RSS growth; ``--unchecked`` also opens the .docx with python-docx
directly (what happened before the check) for comparison.

    .venv/bin/python bench/office_zip_bomb.py [--mib 400] [--unchecked]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (imports, done before the clock starts; the call that must refuse the file)
CASES = {
    "check_office_zip": ("from huifu.files.validation import check_office_zip", "check_office_zip(data)"),
    "wordparse.parse_form": ("from huifu.intake.wordparse import parse_form", "parse_form(data)"),
    "files.validate_upload": (
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from huifu.files.validation import validate_upload",
        "validate_upload(SimpleUploadedFile(name, data))",
    ),
    "directory.read_sheet (.xlsx)": (
        "import io\nfrom huifu.directory.xlsx import read_sheet",
        "read_sheet(io.BytesIO(data), [])",
    ),
    "python-docx unchecked (before)": ("import io, docx", "docx.Document(io.BytesIO(data))"),
}

CHILD = """
import os, sys, time, resource
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings.test")
import django
django.setup()
from django.utils import translation
translation.activate("en")
name = {name!r}
data = open({path!r}, "rb").read()
{setup}
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out = None
started = time.perf_counter()
try:
    {call}
except Exception as exc:
    out = exc
elapsed = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"{{elapsed * 1000:.1f}}\\t{{(after - before) / 1024:.1f}}\\t{{after / 1024:.1f}}\\t{{type(out).__name__}}: {{str(out)[:110]}}")
"""


def build(path: str, kind: str, mib: int) -> int:
    """A real document (the generated Word form, or a one-sheet workbook) plus one part of
    ``mib`` MiB of zeros, deflated at level 9."""
    import io
    import zipfile

    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huifu.settings.test")
    import django

    django.setup()
    if kind == "docx":
        from huifu.intake.wordform import FormData, form_docx

        base = form_docx(FormData(year=2026))
    else:
        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        base = buffer.getvalue()
    # The padding is whitespace inside the main part (word/document.xml, xl/workbook.xml): every
    # parser must read it, as in the bomb reported in issue #8.
    main = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    chunk = b" " * (1024 * 1024)
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != main:
                out.writestr(info, data)
                continue
            start = data.index(b"?>") + 2 if data.lstrip().startswith(b"<?") else 0
            cut = data.index(b">", start) + 1  # after the root element's start tag
            with out.open(main, "w", force_zip64=True) as part:
                part.write(data[:cut])
                for _ in range(mib):
                    part.write(chunk)
                part.write(data[cut:])
    return os.path.getsize(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=400)
    parser.add_argument("--unchecked", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    docx_path, xlsx_path = os.path.join(tmp, "bomb.docx"), os.path.join(tmp, "bomb.xlsx")
    docx_size = build(docx_path, "docx", args.mib)
    xlsx_size = build(xlsx_path, "xlsx", args.mib)
    print(
        f"bomb.docx: {docx_size / 1024:.0f} KB -> {args.mib} MiB; bomb.xlsx: {xlsx_size / 1024:.0f} KB -> {args.mib} MiB"
    )
    print("case\tms\tpeak RSS growth MiB\tpeak RSS MiB\tresult")
    for case, (setup, call) in CASES.items():
        if case.startswith("python-docx") and not args.unchecked:
            continue
        path, name = (xlsx_path, "bomb.xlsx") if ".xlsx" in case else (docx_path, "bomb.docx")
        child = CHILD.format(root=ROOT, name=name, path=path, setup=setup, call=call)
        result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, cwd=ROOT)
        print(f"{case}\t{result.stdout.strip() or result.stderr.strip()[-300:]}")


if __name__ == "__main__":
    main()
