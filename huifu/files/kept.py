"""Uploads survive a form that comes back with an error (issue 10, point 9).

A browser never re-sends a file: when a form with a seal scan or an invoice came back because
another field was wrong, the file was gone and people did not notice they had to attach it
again. ``KeepUploadsMixin`` (any Django form with file fields) stores each file that passed its
own field's checks once in the files app (purpose ``kept_upload``, owner the uploader's
organisation), and the re-rendered form carries a signed token in a hidden field
``<name>__kept`` and says "已上传：name (保留)" next to the file input (core/_field.html).
On the next submission without a new file, the token brings the stored file back as the field's
value (a ``KeptUpload``); ``file_store`` then claims that same row for its real purpose instead
of storing the bytes a second time. Choosing a new file replaces the kept one.

Tokens are signed (salt below), expire after ``KEPT_MAX_AGE`` and name the uploader: someone
else's token, a forged or an expired one is ignored (the field is simply empty again).
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File

logger = logging.getLogger(__name__)

KEPT_PURPOSE = "kept_upload"
KEPT_SUFFIX = "__kept"
KEPT_MAX_AGE = 24 * 3600
_SALT = "huifu.files.kept-upload"


class KeptUpload(File):
    """A file stored from an earlier, failed submission; ``stored`` is its StoredFile row."""

    def __init__(self, stored: Any) -> None:
        stored.file.open("rb")
        super().__init__(stored.file.file, name=stored.original_name)
        self.stored = stored
        self.size = stored.size
        self.content_type = stored.content_type


def kept_token(stored: Any, uploader: Any | None) -> str:
    return signing.dumps({"f": str(stored.pk), "u": getattr(uploader, "pk", None)}, salt=_SALT, compress=True)


def kept_upload_from_token(token: str, uploader: Any | None) -> KeptUpload | None:
    """The kept file the token names, or None (bad, expired, someone else's, already claimed)."""
    from .models import StoredFile

    try:
        payload = signing.loads(token, salt=_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("u") != getattr(uploader, "pk", None):
        return None
    stored = StoredFile.objects.filter(pk=payload.get("f"), purpose=KEPT_PURPOSE).first()
    if stored is None:
        return None
    try:
        return KeptUpload(stored)
    except OSError:
        logger.warning("kept upload %s is missing from storage", stored.pk)
        return None


class KeepUploadsMixin:
    """Mix into a form with file fields; pass ``uploader=request.user`` when building it.

    After a failed validation (or a service error added with ``add_error``), every file that
    passed its field's own checks is stored once and carried by a token; see the module doc."""

    kept_uploads: dict[str, tuple[str, str]]

    def __init__(self, *args: Any, uploader: Any | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uploader = uploader
        self.kept_uploads = {}  # field name -> (token, original name)

    def _file_field_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, forms.FileField)]

    def full_clean(self) -> None:
        if self.is_bound:
            self._restore_kept_uploads()
        super().full_clean()
        if self.is_bound and self._errors:
            self._keep_uploads()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if self.is_bound and hasattr(self, "cleaned_data"):
            self._keep_uploads()

    def _restore_kept_uploads(self) -> None:
        for name in self._file_field_names():
            key = self.add_prefix(name)
            if self.files.get(key):
                continue  # a new file replaces the kept one
            token = self.data.get(key + KEPT_SUFFIX)
            kept = kept_upload_from_token(token, self.uploader) if token else None
            if kept is None:
                continue
            self.files = self.files.copy()  # request.FILES stays as it came
            self.files[key] = kept
            self._mark_kept(name, token, kept.stored.original_name)

    def _keep_uploads(self) -> None:
        from .services import file_store

        for name in self._file_field_names():
            upload = getattr(self, "cleaned_data", {}).get(name)
            if not upload or not hasattr(upload, "read"):
                continue
            if isinstance(upload, KeptUpload) and upload.stored.purpose == KEPT_PURPOSE:
                if name not in self.kept_uploads:
                    self._mark_kept(name, kept_token(upload.stored, self.uploader), upload.stored.original_name)
                continue
            # (A kept file a failing service had already claimed is stored again below.)
            if name in self.kept_uploads and not isinstance(upload, KeptUpload):
                continue
            try:
                upload.seek(0)
                stored = file_store(
                    upload=upload,
                    actor=self.uploader,
                    organisation=getattr(self.uploader, "organisation", None),
                    purpose=KEPT_PURPOSE,
                    allowed_kinds=getattr(self.fields[name], "allowed_kinds", None) or _all_kinds(),
                )
            except (ValidationError, OSError) as exc:  # keeping is a courtesy: the field then says so
                logger.info("upload in %s not kept: %s", name, exc)
                continue
            self._mark_kept(name, kept_token(stored, self.uploader), stored.original_name)

    def _mark_kept(self, name: str, token: str, original_name: str) -> None:
        """core/_field.html shows ``field.kept_name`` and carries ``field.kept_token`` hidden."""
        self.kept_uploads[name] = (token, original_name)
        field = self.fields[name]
        field.kept_token, field.kept_name = token, original_name
        # The browser would refuse to send the form again with the file input empty.
        field.widget.use_required_attribute = lambda initial: False


def _all_kinds() -> tuple[Any, ...]:
    from .kinds import DEFAULT_KINDS

    return tuple(DEFAULT_KINDS)
