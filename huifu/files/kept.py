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

Tokens are signed (salt below), expire after ``KEPT_MAX_AGE`` and name the uploader, and the
row must have been stored by that same user for their own organisation: someone else's token (of
a colleague or of another company), a forged or an expired one is ignored (the field is simply
empty again). A form built without ``uploader`` keeps nothing. Fields taking several files
(``allow_multiple_selected`` widgets) keep each file; one token carries them all.

Kept files never claimed are deleted by the worker's sweep ``kept_uploads_expire`` after
``HUIFU_KEPT_UPLOAD_RETENTION_HOURS`` (never sooner than a token lives).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

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
    """A token for one kept row or a list of them (a field taking several files)."""
    rows = stored if isinstance(stored, list | tuple) else [stored]
    return signing.dumps(
        {"f": [str(r.pk) for r in rows], "u": getattr(uploader, "pk", None)}, salt=_SALT, compress=True
    )


def kept_uploads_from_token(token: str, uploader: Any | None) -> list[KeptUpload]:
    """The kept files the token names, in their order; [] when the token is bad, expired or
    someone else's, or any of its files was claimed, deleted or is not the uploader's own."""
    from .models import StoredFile

    if uploader is None or getattr(uploader, "pk", None) is None:
        return []
    try:
        payload = signing.loads(token, salt=_SALT, max_age=KEPT_MAX_AGE)
    except signing.BadSignature:
        return []
    if payload.get("u") != uploader.pk:
        return []
    ids = payload.get("f")
    ids = [ids] if isinstance(ids, str) else list(ids or [])
    rows = {
        str(r.pk): r
        for r in StoredFile.objects.filter(
            pk__in=ids,
            purpose=KEPT_PURPOSE,
            uploaded_by_id=uploader.pk,
            organisation_id=getattr(uploader, "organisation_id", None),
        )
    }
    if not ids or len(rows) != len(ids):
        return []
    try:
        return [KeptUpload(rows[i]) for i in ids]
    except OSError:
        logger.warning("a kept upload of %s is missing from storage", ids)
        return []


def kept_upload_from_token(token: str, uploader: Any | None) -> KeptUpload | None:
    """The one kept file the token names, or None (bad, expired, someone else's, already claimed)."""
    kept = kept_uploads_from_token(token, uploader)
    return kept[0] if len(kept) == 1 else None


def kept_retention() -> datetime.timedelta:
    """How long an unclaimed kept file stays: the setting, never less than a token lives."""
    hours = getattr(settings, "HUIFU_KEPT_UPLOAD_RETENTION_HOURS", 48)
    return max(datetime.timedelta(hours=hours), datetime.timedelta(seconds=KEPT_MAX_AGE + 3600))


def kept_uploads_expire(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Delete kept files nobody claimed within the retention period (row, then the blob once the
    deletion committed); one audit entry each, by the system actor. A file claimed meanwhile is
    left alone (the delete is conditional on the purpose). Idempotent; the job worker runs it as
    a recovery sweep (``huifu.core.worker.RECOVERY_SWEEPS``). Returns how many were deleted."""
    from django.core.files.storage import default_storage

    from huifu.accounts.system import system_actor
    from huifu.audit.models import AuditAction
    from huifu.audit.services import audit_record

    from .models import StoredFile

    cutoff = (now or timezone.now()) - kept_retention()
    expired = list(
        StoredFile.objects.filter(purpose=KEPT_PURPOSE, uploaded_at__lt=cutoff).order_by("uploaded_at")[:batch]
    )
    deleted = 0
    for stored in expired:
        name = stored.file.name
        try:
            with transaction.atomic():
                count, _ = StoredFile.objects.filter(pk=stored.pk, purpose=KEPT_PURPOSE).delete()
                if not count:
                    continue
                audit_record(
                    actor=system_actor(),
                    action=AuditAction.DELETE,
                    target=stored,
                    message="kept upload never claimed",
                )
                transaction.on_commit(lambda name=name: _delete_blob(default_storage, name))
        except ProtectedError:  # referenced after all: it is in use, keep it
            logger.warning("kept upload %s is referenced; not deleted", stored.pk)
            continue
        deleted += 1
    return deleted


def _delete_blob(storage: Any, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.exception("could not delete the blob %s of an expired kept upload; files_check will list it", name)


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

    def _is_multiple(self, name: str) -> bool:
        return bool(getattr(self.fields[name].widget, "allow_multiple_selected", False))

    def _restore_kept_uploads(self) -> None:
        for name in self._file_field_names():
            key = self.add_prefix(name)
            if self.files.get(key):
                continue  # a new file replaces the kept one
            token = self.data.get(key + KEPT_SUFFIX)
            kept = kept_uploads_from_token(token, self.uploader) if token else []
            if not kept or (len(kept) > 1 and not self._is_multiple(name)):
                continue
            self.files = self.files.copy()  # request.FILES stays as it came
            if self._is_multiple(name):
                self.files.setlist(key, kept)
            else:
                self.files[key] = kept[0]
            self._mark_kept(name, token, "、".join(k.stored.original_name for k in kept))

    def _keep_uploads(self) -> None:
        if self.uploader is None or getattr(self.uploader, "pk", None) is None:
            return  # nobody to bind a token to: keep nothing
        for name in self._file_field_names():
            value = getattr(self, "cleaned_data", {}).get(name)
            uploads = [u for u in (value if isinstance(value, list | tuple) else [value]) if u and hasattr(u, "read")]
            if not uploads:
                continue
            if all(isinstance(u, KeptUpload) and u.stored.purpose == KEPT_PURPOSE for u in uploads):
                if name not in self.kept_uploads:
                    rows = [u.stored for u in uploads]
                    self._mark_kept(name, kept_token(rows, self.uploader), "、".join(r.original_name for r in rows))
                continue
            # (A kept file a failing service had already claimed is stored again below.)
            if name in self.kept_uploads and not any(isinstance(u, KeptUpload) for u in uploads):
                continue
            rows = []
            for upload in uploads:
                stored = self._keep_one(name, upload)
                if stored is None:
                    break
                rows.append(stored)
            else:
                self._mark_kept(name, kept_token(rows, self.uploader), "、".join(r.original_name for r in rows))

    def _keep_one(self, name: str, upload: Any) -> Any | None:
        from .services import file_store

        if isinstance(upload, KeptUpload) and upload.stored.purpose == KEPT_PURPOSE:
            return upload.stored
        try:
            upload.seek(0)
            return file_store(
                upload=upload,
                actor=self.uploader,
                organisation=getattr(self.uploader, "organisation", None),
                purpose=KEPT_PURPOSE,
                allowed_kinds=getattr(self.fields[name], "allowed_kinds", None) or _all_kinds(),
            )
        except (ValidationError, OSError) as exc:  # keeping is a courtesy: the field then says so
            logger.info("upload in %s not kept: %s", name, exc)
            return None

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
