"""Stored files. A file is only ever handed out by ``huifu.files.views.download``, after a
permission check; the storage path is random and never shown to users."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _storage_path(instance: StoredFile, filename: str) -> str:
    # The original name is kept in the row, never in the path: nothing to guess, nothing to escape.
    return f"files/{instance.uploaded_at:%Y/%m}/{instance.id.hex}"


class StoredFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to=_storage_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The organisation the file belongs to (None: the exchange's own). Owner-organisation users
    # and staff may read it; anyone else only through the attaching record's own rule.
    organisation = models.ForeignKey(
        "directory.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    purpose = models.CharField(_("purpose"), max_length=40, help_text="e.g. notice_attachment, import, seal_scan")
    uploaded_at = models.DateTimeField(_("uploaded"), default=None)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.uploaded_at is None:
            from django.utils import timezone

            self.uploaded_at = timezone.now()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
