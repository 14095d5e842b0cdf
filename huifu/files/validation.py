"""Checking an upload before it is stored: size, kind by content, extension agreeing with content."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .kinds import DEFAULT_KINDS, FileKind, detect_kind

MB = 1024 * 1024


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
    ``allowed_kinds``, and a file name whose extension does not match the content. The client's
    declared content type is ignored.
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
    return kind


def _is_chinese() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("zh")
