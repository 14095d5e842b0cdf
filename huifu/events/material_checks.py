"""The automatic pre-check of a session material: hints for the compliance reviewer, never a verdict.

It reads the text of a Word (.docx), PowerPoint (.pptx) or PDF file (the text layer, with
pypdf; ``MAX_PDF_PAGES`` pages at most), looks for a risk-disclosure phrase, and lists phrases
typical of investment advice with a little context around each. It cannot read a recording, nor a
PDF made of scanned images (no text layer: no OCR), nor beyond ``MAX_PDF_PAGES``, and says so:
the reviewer then reads the material. An approval is always a reviewer's ticked checklist.

The result is plain data stored on the material (``Material.precheck``)::

    {"read": "docx" | "pptx" | "pdf" | "none",
     "reason": "" | "pdf_no_text" | "pdf_partial" | "recording" | "unreadable",
     "characters": 1234, "pages": 12, "pages_read": 12, "pages_without_text": [7, 8],
     "pages_without_text_count": 2,
     "disclosure": ["风险提示"], "advice": [{"phrase": "目标价", "context": "…"}]}

(``pages``, ``pages_read``, ``pages_without_text`` only for a PDF; ``pdf_partial``: read, but
only the first ``pages_read`` pages — ``MAX_PDF_PAGES`` or the work limits below stopped it;
``pages_without_text``: pages read that have no text layer (scans), which the page lists for the
reviewer. Older results may carry ``"reason": "pdf"`` from before PDFs were read.)

The page translates ``reason`` when it shows it; nothing translated is stored.
"""

from __future__ import annotations

import logging
import re
import time
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from lxml import etree

logger = logging.getLogger(__name__)

# A material passes the disclosure hint when one of these appears (spaces ignored).
DISCLOSURE_PHRASES: tuple[str, ...] = (
    "风险提示",
    "风险揭示",
    "风险声明",
    "投资有风险",
    "入市需谨慎",
    "不构成投资建议",
    "不作为投资建议",
)
# Phrases typical of investment advice or promised returns; each hit is shown with its context.
ADVICE_PHRASES: tuple[str, ...] = (
    "建议买入",
    "建议卖出",
    "建议做多",
    "建议做空",
    "建议增持",
    "建议减持",
    "强烈推荐",
    "目标价",
    "稳赚",
    "保本",
    "保证收益",
    "保证盈利",
    "包赚",
    "必涨",
    "必跌",
    "只赚不赔",
    "零风险",
    "无风险收益",
)
CONTEXT_CHARS = 20
MAX_HITS_PER_PHRASE = 5
MAX_TEXT_CHARS = 2_000_000  # a 500-slide deck holds far less; beyond this the rest is not read
MAX_PDF_PAGES = 300  # a handout or a deck; a longer PDF is read this far and the page says so
# Fewer visible characters than this in a whole PDF: it is scanned images, not text.
MIN_PDF_TEXT_CHARS = 20
# A page with fewer visible characters than this has no text layer (a scan, a picture).
MIN_PAGE_TEXT_CHARS = 5
# The pre-check runs inside the upload request: the work it may spend on a PDF is bounded, so a
# small crafted file (one huge content stream shared by every page) cannot hold a worker. A page
# whose content is larger than this is not parsed; reading stops once the total content parsed
# or the time spent exceeds these, and the page then says how far it read.
MAX_PDF_PAGE_CONTENT_BYTES = 2 * 1024 * 1024  # a dense text slide is well under 100 KB
MAX_PDF_CONTENT_BYTES = 16 * 1024 * 1024
MAX_PDF_SECONDS = 8.0

_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SLIDE_PART = re.compile(r"^ppt/(slides/slide|notesSlides/notesSlide)(\d+)\.xml$")
_SPACES = re.compile(r"\s+")


def _docx_text(file: IO[bytes]) -> str:
    import docx

    document = docx.Document(file)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        for block in (section.header, section.footer):
            parts.extend(p.text for p in block.paragraphs)
    return "\n".join(parts)


def _pptx_text(file: IO[bytes]) -> str:
    """The text runs (``a:t``) of every slide and its speaker notes, in slide order. The zip was
    checked against decompression bombs by ``huifu.files`` before this runs."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    parts: list[str] = []
    with zipfile.ZipFile(file) as archive:
        names = [(m.group(1), int(m.group(2)), n) for n in archive.namelist() if (m := _SLIDE_PART.match(n))]
        for _kind, _number, name in sorted(names, key=lambda t: (t[1], t[0])):
            root = etree.fromstring(archive.read(name), parser)
            parts.append("".join(node.text or "" for node in root.iter(f"{{{_DRAWING_NS}}}t")))
    return "\n".join(parts)


@dataclass
class PdfText:
    text: str
    pages: int
    pages_read: int  # the first pages_read pages were read (the rest not: limits)
    pages_without_text: list[int] = field(default_factory=list)  # 1-based, among those read


def _pdf_text(file: IO[bytes]) -> PdfText:
    """The text layer of the first pages, within the limits above. pypdf bounds decompression
    itself (its stream-length limits) and needs no system library."""
    from pypdf import PdfReader

    started = time.monotonic()
    reader = PdfReader(file)
    if reader.is_encrypted:
        reader.decrypt("")  # an owner-password-only PDF opens; a user password raises below
    result = PdfText(text="", pages=len(reader.pages), pages_read=0)
    parts: list[str] = []
    characters = 0
    content_bytes = 0
    for number, page in enumerate(reader.pages[:MAX_PDF_PAGES], start=1):
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        content_bytes += size
        if size > MAX_PDF_PAGE_CONTENT_BYTES or content_bytes > MAX_PDF_CONTENT_BYTES:
            break
        text = page.extract_text() or ""
        parts.append(text)
        result.pages_read = number
        if len(_SPACES.sub("", text)) < MIN_PAGE_TEXT_CHARS:
            result.pages_without_text.append(number)
        characters += len(text)
        if characters > MAX_TEXT_CHARS or time.monotonic() - started > MAX_PDF_SECONDS:
            break
    result.text = "\n".join(parts)
    return result


def find_hints(text: str) -> dict[str, Any]:
    """The disclosure phrases found and the advice phrases with their context, in ``text``."""
    compact = _SPACES.sub("", text)[:MAX_TEXT_CHARS]
    advice = []
    for phrase in ADVICE_PHRASES:
        for hit, match in enumerate(re.finditer(re.escape(phrase), compact)):
            if hit >= MAX_HITS_PER_PHRASE:
                break
            start, end = max(match.start() - CONTEXT_CHARS, 0), match.end() + CONTEXT_CHARS
            advice.append({"phrase": phrase, "context": compact[start:end]})
    return {
        "characters": len(compact),
        "disclosure": [p for p in DISCLOSURE_PHRASES if p in compact],
        "advice": advice,
    }


def precheck(*, kind_code: str | None, file: IO[bytes] | None) -> dict[str, Any]:
    """Hints for the reviewer about a material's file (``kind_code`` from ``huifu.files.kinds``;
    None with no file: a replay link). Never raises for a damaged file: it says it could not read it."""
    empty = {"characters": 0, "disclosure": [], "advice": []}
    if file is None or kind_code == "mp4":
        return {"read": "none", "reason": "recording", **empty}
    if kind_code == "pdf":
        return _precheck_pdf(file, empty)
    readers = {"docx": _docx_text, "pptx": _pptx_text}
    reader = readers.get(kind_code or "")
    if reader is None:
        return {"read": "none", "reason": "unreadable", **empty}
    try:
        file.seek(0)
        text = reader(file)
    except Exception:  # a damaged document is the reviewer's to read, not a failed upload
        logger.warning("material pre-check could not read a %s file", kind_code, exc_info=True)
        return {"read": "none", "reason": "unreadable", **empty}
    finally:
        file.seek(0)
    return {"read": kind_code, "reason": "", **find_hints(text)}


def _precheck_pdf(file: IO[bytes], empty: dict[str, Any]) -> dict[str, Any]:
    try:
        file.seek(0)
        pdf = _pdf_text(file)
    except Exception:  # damaged or password-protected: the reviewer's to read
        logger.warning("material pre-check could not read a PDF file", exc_info=True)
        return {"read": "none", "reason": "unreadable", **empty}
    finally:
        file.seek(0)
    counts = {
        "pages": pdf.pages,
        "pages_read": pdf.pages_read,
        "pages_without_text": pdf.pages_without_text[:50],  # the first ones, for the note
        "pages_without_text_count": len(pdf.pages_without_text),
    }
    hints = find_hints(pdf.text)
    if hints["characters"] < MIN_PDF_TEXT_CHARS:
        # Nothing (or next to nothing) to go on: not "read", whatever the reason.
        return {"read": "none", "reason": "pdf_no_text" if pdf.pages_read else "unreadable", **empty, **counts}
    reason = "pdf_partial" if pdf.pages_read < pdf.pages else ""
    return {"read": "pdf", "reason": reason, **counts, **hints}


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The stored pre-check as the reviewer's page shows it (translated at display time)."""
    from django.utils.translation import gettext as _

    reasons = {
        "pdf": _("The text of a PDF is not read automatically: read the whole document."),
        "pdf_no_text": _("This PDF has no text layer (scanned pages?): read the whole document."),
        "recording": _("A recording has no text to check: watch or listen to it."),
        "unreadable": _("The file's text could not be read: read the whole document."),
    }
    was_read = result.get("read") not in (None, "none")
    return {
        "was_read": was_read,
        "note": reasons.get(result.get("reason") or "", "") if not was_read else _partial_note(result),
        "characters": result.get("characters", 0),
        "disclosure": result.get("disclosure") or [],
        "missing_disclosure": was_read and not result.get("disclosure"),
        "advice": result.get("advice") or [],
    }


def _partial_note(result: dict[str, Any]) -> str:
    """What a PDF read in part leaves to the reviewer: pages beyond the limits, pages without a
    text layer among those read."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    notes = []
    if result.get("reason") == "pdf_partial":
        notes.append(
            _("Only the first %(read)d of %(pages)d pages were read: read the rest yourself.")
            % {"read": result.get("pages_read", 0), "pages": result.get("pages", 0)}
        )
    blank = result.get("pages_without_text") or []
    count = result.get("pages_without_text_count", len(blank))
    if count:
        shown = "、".join(str(n) for n in blank[:10]) + ("…" if count > 10 else "")
        notes.append(
            ngettext(
                "%(count)d page has no text layer (scanned?), page %(pages)s: read it yourself.",
                "%(count)d pages have no text layer (scanned?), pages %(pages)s: read them yourself.",
                count,
            )
            % {"count": count, "pages": shown}
        )
    return " ".join(notes)
