"""Storing uploaded files. Everything goes through Django's storage API (local disk by default,
S3-compatible in production); the storage path is random and never contains the original name."""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from huifu.audit.services import audit_create

from .kept import KEPT_PURPOSE
from .kinds import DEFAULT_KINDS, FileKind
from .models import StoredFile
from .storage import StorageUnavailable, storage_errors
from .validation import clean_file_name, validate_upload

logger = logging.getLogger(__name__)

# Storage names written inside a transaction that has not committed yet (per thread). A name
# leaves the set when its transaction commits; one still here once no transaction is open was
# rolled back, and its blob is deleted (``discard_rolled_back_files``).
_uncommitted = threading.local()


def _pending() -> set[str]:
    if not hasattr(_uncommitted, "names"):
        _uncommitted.names = set()
    return _uncommitted.names


def _track_until_commit(name: str) -> None:
    _pending().add(name)
    transaction.on_commit(lambda: _pending().discard(name))


def discard_rolled_back_files(**kwargs: Any) -> int:
    """Delete the blobs of uploads whose transaction rolled back (a refused request, a failed
    service after ``file_store``). Called when a request or a job finishes; does nothing while a
    transaction is still open. A blob whose row exists is kept whatever the order in which commit
    callbacks ran. Returns the number deleted."""
    if transaction.get_connection().in_atomic_block or not _pending():
        return 0
    names = set(_pending())
    _pending().difference_update(names)
    committed = set(StoredFile.objects.filter(file__in=names).values_list("file", flat=True))
    deleted = 0
    for name in sorted(names - committed):
        try:
            default_storage.delete(name)
            deleted += 1
            logger.info("deleted %s: its upload was rolled back", name)
        except OSError:
            logger.exception("could not delete %s (rolled back upload); files_check will list it", name)
    return deleted


def _digest(upload: File) -> tuple[str, int]:
    """SHA-256 and size of the content, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def file_store(
    *,
    upload: Any,
    actor: Any | None,
    organisation: Any | None,
    purpose: str,
    allowed_kinds: Iterable[FileKind] = DEFAULT_KINDS,
) -> StoredFile:
    """Check ``upload`` (a Django UploadedFile or File) and store it; return the new StoredFile.

    Raises django ValidationError (message names the file and the problem) for an empty or
    oversized file, a kind not in ``allowed_kinds`` (judged by content) or a misleading extension;
    nothing is stored then. ``organisation`` owns the file (None: the exchange); ``purpose``
    selects the access checker registered in ``huifu.files.access``. One audit entry.
    The file is served only by ``reverse("files:download", args=[stored.id])``.
    """
    if not isinstance(upload, File):
        upload = File(upload, name=getattr(upload, "name", None) or "file")
    kind = validate_upload(upload, allowed_kinds)
    kept = getattr(upload, "stored", None)
    if kept is not None and kept.purpose == KEPT_PURPOSE:
        # Kept from an earlier submission that came back with an error (huifu.files.kept): the
        # bytes are stored already; the row is claimed for its real purpose, not stored twice.
        claimed = StoredFile.objects.filter(pk=kept.pk, purpose=KEPT_PURPOSE).update(
            purpose=purpose[:40], organisation=organisation
        )
        if claimed:
            kept.refresh_from_db()
            audit_create(actor=actor, target=kept, message=purpose)
            return kept
    sha256, size = _digest(upload)
    stored = StoredFile(
        id=uuid.uuid4(),
        original_name=clean_file_name(upload.name or ""),
        content_type=kind.content_type,
        sha256=sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        purpose=purpose[:40],
        uploaded_at=timezone.now(),
    )
    with transaction.atomic():
        # The storage name comes from _storage_path (date + random id); the name given here is ignored.
        try:
            stored.file.save(stored.id.hex, upload, save=False)
        except storage_errors() as exc:
            logger.error("file store failed while storing %s: %s", upload.name, exc)
            raise StorageUnavailable(exc) from exc
        _track_until_commit(stored.file.name)
        stored.size = size
        try:
            stored.save()
            audit_create(actor=actor, target=stored, message=purpose)
        except Exception:
            default_storage.delete(stored.file.name)
            raise
    logger.debug("stored file %s (%s, %s bytes) for %s", stored.pk, kind.code, stored.size, purpose)
    return stored
