"""The kinds of file Huifu accepts, recognised by content, never by name or client-sent type.

A kind is a small record: its code, label, the extensions a file of that kind may carry, the
content type it is served with, and a test on the file's bytes. Office formats and OFD are zip
containers told apart by the part they must contain.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

import filetype
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str | Promise
    extensions: tuple[str, ...]
    content_type: str
    matches: Callable[[bytes, IO[bytes]], bool]

    def __str__(self) -> str:
        return str(self.label)


def _magic(mime: str) -> Callable[[bytes, IO[bytes]], bool]:
    def matches(head: bytes, _file: IO[bytes]) -> bool:
        guess = filetype.guess(head)
        return guess is not None and guess.mime == mime

    return matches


def _zip_with(member: str) -> Callable[[bytes, IO[bytes]], bool]:
    """A zip container holding ``member`` (case-sensitive, as the formats specify)."""

    def matches(head: bytes, file: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            file.seek(0)
            with zipfile.ZipFile(file) as archive:  # reads the directory only, nothing is unpacked
                return member in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            file.seek(0)

    return matches


def _eml(head: bytes, _file: IO[bytes]) -> bool:
    """An RFC 5322 message: a header block of known fields before the first empty line."""
    try:
        text = head.decode("utf-8", errors="strict") if head.isascii() else head.decode("latin-1")
    except UnicodeDecodeError:
        return False
    if "\x00" in text:
        return False
    block = text.replace("\r\n", "\n").split("\n\n", 1)[0].lower()
    fields = {line.split(":", 1)[0] for line in block.split("\n") if ":" in line and not line[:1].isspace()}
    return "from" in fields and bool(fields & {"date", "subject", "message-id", "mime-version", "received"})


PDF = FileKind("pdf", _("PDF document"), (".pdf",), "application/pdf", _magic("application/pdf"))
DOCX = FileKind(
    "docx",
    _("Word document (.docx)"),
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _zip_with("word/document.xml"),
)
XLSX = FileKind(
    "xlsx",
    _("Excel workbook (.xlsx)"),
    (".xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    _zip_with("xl/workbook.xml"),
)
PPTX = FileKind(
    "pptx",
    _("PowerPoint presentation (.pptx)"),
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    _zip_with("ppt/presentation.xml"),
)
OFD = FileKind("ofd", _("OFD document"), (".ofd",), "application/ofd", _zip_with("OFD.xml"))
PNG = FileKind("png", _("PNG image"), (".png",), "image/png", _magic("image/png"))
JPEG = FileKind("jpeg", _("JPEG image"), (".jpg", ".jpeg"), "image/jpeg", _magic("image/jpeg"))
GIF = FileKind("gif", _("GIF image"), (".gif",), "image/gif", _magic("image/gif"))
EML = FileKind("eml", _("E-mail message (.eml)"), (".eml",), "message/rfc822", _eml)
MP4 = FileKind("mp4", _("MP4 video"), (".mp4",), "video/mp4", _magic("video/mp4"))

ALL_KINDS: tuple[FileKind, ...] = (PDF, DOCX, XLSX, PPTX, OFD, PNG, JPEG, GIF, EML, MP4)
KINDS_BY_CODE = {k.code: k for k in ALL_KINDS}

DEFAULT_KINDS: tuple[FileKind, ...] = (PDF, DOCX, XLSX, OFD, PNG, JPEG)
DOCUMENT_KINDS: tuple[FileKind, ...] = (PDF, DOCX, OFD)
IMAGE_KINDS: tuple[FileKind, ...] = (PNG, JPEG)
SPREADSHEET_KINDS: tuple[FileKind, ...] = (XLSX,)


def detect_kind(file: IO[bytes]) -> FileKind | None:
    """The kind of ``file`` judged by its bytes alone, or None. Leaves the file at position 0."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    for kind in ALL_KINDS:
        if kind.matches(head, file):
            return kind
    return None
