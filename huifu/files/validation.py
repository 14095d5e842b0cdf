"""Checking an upload before it is stored: size, kind by content, extension agreeing with content,
and (``check_office_zip``) that an Office/OFD zip container does not inflate into a decompression bomb."""

from __future__ import annotations

import io
import os
import unicodedata
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .kinds import DEFAULT_KINDS, DOCX, OFD, PPTX, XLSX, FileKind, detect_kind

MB = 1024 * 1024

# Limits for zip containers (.docx, .xlsx, .ofd), checked on the central directory before any parser
# inflates a byte. Real forms and imports are far below them: a 5,000-row trading-data workbook
# inflates to ~15 MiB at a ratio of ~10; a 400 MiB bomb of zeros has a ratio of ~1,000.
OFFICE_MAX_UNCOMPRESSED = 200 * MB
OFFICE_MAX_ENTRIES = 5000
OFFICE_MAX_RATIO = 200  # per entry, for entries larger than OFFICE_RATIO_FLOOR
OFFICE_RATIO_FLOOR = MB
ZIP_KINDS = (DOCX, XLSX, PPTX, OFD)


def check_office_zip(source: bytes | IO[bytes], *, name: str = "") -> None:
    """Refuse a zip container that would inflate too far, from its central directory alone.

    Raises ValidationError (code ``zip_bomb``) when the entries' declared uncompressed sizes add up
    to more than ``OFFICE_MAX_UNCOMPRESSED``, when there are more than ``OFFICE_MAX_ENTRIES``
    entries, or when a large entry is compressed more than ``OFFICE_MAX_RATIO`` times. Nothing is
    decompressed. Declared sizes are a safe bound: ``zipfile`` never yields more bytes than an
    entry declares (a lying entry fails its CRC check instead), and every Office parser in Huifu
    (python-docx, openpyxl) reads through ``zipfile``. A file that is not a zip passes silently:
    the callers' own checks say what it is. Leaves a file object at position 0.
    """
    label = name or _("The file")
    file = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    finally:
        file.seek(0)
    total = sum(info.file_size for info in entries)
    too_many = len(entries) > OFFICE_MAX_ENTRIES
    too_dense = any(
        info.file_size > OFFICE_RATIO_FLOOR and info.file_size > OFFICE_MAX_RATIO * max(info.compress_size, 1)
        for info in entries
    )
    if too_many or too_dense or total > OFFICE_MAX_UNCOMPRESSED:
        raise ValidationError(
            _(
                "“%(name)s” would unpack to %(size)s MB in %(count)s parts, more than an Office document "
                "may (at most %(limit)s MB, %(entries)s parts, packed at most %(ratio)s times). "
                "It was not opened."
            ),
            code="zip_bomb",
            params={
                "name": label,
                "size": _megabytes(total),
                "count": len(entries),
                "limit": _megabytes(OFFICE_MAX_UNCOMPRESSED),
                "entries": OFFICE_MAX_ENTRIES,
                "ratio": OFFICE_MAX_RATIO,
            },
        )


def max_upload_bytes() -> int:
    return int(settings.HUIFU_UPLOAD_MAX_BYTES)


def _megabytes(size: int) -> str:
    value = size / MB
    return f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"


def clean_file_name(name: str) -> str:
    """The last path component, normalised, without control characters; never empty."""
    base = os.path.basename(str(name).replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not base:
        return "file"
    if len(base) > 255:
        stem, ext = os.path.splitext(base)
        base = stem[: 255 - len(ext)] + ext
    return base


def validate_upload(upload: Any, allowed_kinds: Iterable[FileKind] = DEFAULT_KINDS) -> FileKind:
    """Check an uploaded file and return its kind; raise ValidationError naming the file and the problem.

    Refuses: an empty file, a file over ``HUIFU_UPLOAD_MAX_BYTES``, content that is not one of
    ``allowed_kinds``, a file name whose extension does not match the content, and a zip container
    (.docx, .xlsx, .pptx, .ofd) that would inflate too far (``check_office_zip``). The client's declared
    content type is ignored.
    """
    allowed = tuple(allowed_kinds)
    name = clean_file_name(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    limit = max_upload_bytes()
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s MB; files may be at most %(limit)s MB."),
            code="too_large",
            params={"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
        )
    allowed_labels = (
        "、".join(str(k.label) for k in allowed) if _is_chinese() else ", ".join(str(k.label) for k in allowed)
    )
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("“%(name)s” is not an accepted type of file. Accepted: %(allowed)s."),
            code="kind_not_allowed",
            params={"name": name, "allowed": allowed_labels},
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in kind.extensions:
        raise ValidationError(
            _(
                "“%(name)s” is named like a %(extension)s file but its content is a %(kind)s. "
                "Please upload it with its proper file name."
            ),
            code="extension_mismatch",
            params={"name": name, "extension": extension or _("(no extension)"), "kind": kind.label},
        )
    if kind in ZIP_KINDS:
        check_office_zip(upload, name=name)
    return kind


def _is_chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")
