"""Removing who wrote a document from its file (blind judging).

A .docx names its author in ``docProps/core.xml`` (creator, last modified by, …) and its company in
``docProps/app.xml`` (Company, Manager); a PDF in its document information dictionary (/Author,
/Creator, /Producer …) and its XMP metadata stream. ``strip_metadata`` returns new bytes without
them and the names of the properties it emptied; other kinds are returned unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DOCX_CORE = (
    "author",
    "last_modified_by",
    "title",
    "subject",
    "keywords",
    "comments",
    "category",
    "identifier",
    "content_status",
)
APP_TAGS = ("Company", "Manager", "HyperlinkBase")


def _strip_docx(data: bytes) -> tuple[bytes, list[str]]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise ValidationError(
            _("The Word file could not be read: %(error)s") % {"error": exc}, code="bad_file"
        ) from exc
    removed: list[str] = []
    props = document.core_properties
    for name in DOCX_CORE:
        if getattr(props, name):
            setattr(props, name, "")
            removed.append(name)
    buffer = io.BytesIO()
    document.save(buffer)
    # python-docx does not model docProps/app.xml: rewrite it in the zip, emptying the tags.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                text = content.decode("utf-8")
                for tag in APP_TAGS:
                    text, count = re.subn(rf"<{tag}>[^<]*</{tag}>", f"<{tag}></{tag}>", text)
                    if count and f"app.{tag}" not in removed:
                        removed.append(f"app.{tag}")
                content = text.encode("utf-8")
            target.writestr(item, content)
    return out.getvalue(), removed


def _strip_pdf(data: bytes) -> tuple[bytes, list[str]]:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise ValidationError(_("The PDF file could not be read: %(error)s") % {"error": exc}, code="bad_file") from exc
    removed = sorted(str(key).lstrip("/") for key in (reader.metadata or {}))
    writer._info = None  # no document information dictionary at all
    from pypdf.generic import NameObject

    if NameObject("/Metadata") in writer._root_object:
        del writer._root_object[NameObject("/Metadata")]
        removed.append("XMP")
    writer.add_metadata({})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), removed


def strip_metadata(data: bytes, name: str) -> tuple[bytes, list[str]]:
    lower = name.lower()
    if lower.endswith(".docx"):
        return _strip_docx(data)
    if lower.endswith(".pdf"):
        return _strip_pdf(data)
    return data, []
