"""``manage.py files_migrate --to s3``: copy the files kept on local disk into the S3 bucket.

Run once when switching ``HUIFU_S3_BUCKET`` on (with the S3 settings in the environment, the
old directory in ``--from``, default ``HUIFU_MEDIA_ROOT``). Every file that a row of the database
refers to (every ``FileField``, as ``files_check``) is copied under the same name, read back from
the bucket and compared by size and SHA-256 (and, for stored files, with the hash recorded at
upload). A file already in the bucket with the same content is left alone, so the command can be
run again after an interruption. Exit status 1 if any file is missing, differs or fails.

    manage.py files_migrate --to s3 [--from /srv/huifu/media] [--dry-run]
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management.base import BaseCommand, CommandError

from huifu.files.management.commands.files_check import referenced_names
from huifu.files.models import StoredFile
from huifu.files.storage import storage_probe


def _digest(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


class Command(BaseCommand):
    help = "Copy local files into the S3 bucket and verify each (size + SHA-256)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--to", required=True, choices=["s3"], help="Target store (the configured S3 bucket).")
        parser.add_argument("--from", dest="source", default=None, help="Local directory (default MEDIA_ROOT).")
        parser.add_argument("--dry-run", action="store_true", help="Only list what would be copied.")

    def handle(self, *args: Any, to: str, source: str | None, dry_run: bool = False, **options: Any) -> None:
        if not getattr(default_storage, "bucket_name", None):
            raise CommandError("files_migrate --to s3: S3 is not configured (set HUIFU_S3_BUCKET and the S3 settings)")
        problem = storage_probe()
        if problem:
            raise CommandError(f"files_migrate: {problem}")
        local = FileSystemStorage(location=str(Path(source or settings.MEDIA_ROOT)))
        recorded = dict(StoredFile.objects.values_list("file", "sha256"))
        copied = present = 0
        failures: list[str] = []
        for name, owner in sorted(referenced_names().items()):
            try:
                with local.open(name, "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                failures.append(f"{name} ({owner}): not in {local.location}")
                continue
            size, sha = _digest(data)
            if recorded.get(name) and recorded[name] != sha:
                failures.append(f"{name} ({owner}): the local copy differs from the hash recorded at upload")
                continue
            if default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    if _digest(handle.read()) == (size, sha):
                        present += 1
                        continue
                failures.append(f"{name} ({owner}): a different object with this name is already in the bucket")
                continue
            if dry_run:
                copied += 1
                continue
            try:
                saved = default_storage.save(name, ContentFile(data))
                with default_storage.open(saved, "rb") as handle:
                    back = _digest(handle.read())
            except Exception as exc:  # noqa: BLE001 - reported per file; the others go on
                failures.append(f"{name} ({owner}): copy failed: {exc.__class__.__name__}: {exc}")
                continue
            if saved != name or back != (size, sha):
                failures.append(f"{name} ({owner}): the copy in the bucket does not match (size/SHA-256)")
                continue
            copied += 1
        verb = "would copy" if dry_run else "copied and verified"
        self.stdout.write(f"files: {verb} {copied}, already in the bucket {present}, failed {len(failures)}")
        for line in failures:
            self.stderr.write(line)
        if failures:
            raise CommandError(f"{len(failures)} file(s) not migrated", returncode=1)
