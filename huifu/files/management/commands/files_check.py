"""``manage.py files_check``: do the database and the file storage agree?

Lists every row whose file is missing from storage (a restore that forgot the media, a deleted
blob) and every stored file that no row refers to (an upload whose request was refused or rolled
back, a restore of media newer than the database). Looks at every ``FileField`` of every model,
so files of other apps (trading-data uploads) are not reported as orphans.

    manage.py files_check                         report; exit status 1 if anything is wrong
    manage.py files_check --delete-orphans        also delete files without rows older than
                                                  --min-age-hours (default 24: an upload in
                                                  progress has its row moments later)

Run it after every restore (docs/operations.md) and weekly from cron.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def referenced_names() -> dict[str, str]:
    """Storage name -> "app.Model pk" for every non-empty FileField value in the database."""
    names: dict[str, str] = {}
    for model, field in file_fields():
        rows = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
        for pk, name in rows.values_list("pk", field.name).iterator():
            names[name] = f"{model._meta.label} {pk}"
    return names


def stored_names(storage: Storage, top: str = "") -> Iterator[str]:
    directories, files = storage.listdir(top)
    for name in files:
        yield f"{top}/{name}" if top else name
    for directory in directories:
        yield from stored_names(storage, f"{top}/{directory}" if top else directory)


def top_directories() -> set[str]:
    """The storage folders the file fields write to (``files``, ``tradingdata``): only these are
    scanned, so unrelated content of a shared bucket is never reported or deleted."""
    tops = set()
    for _model, field in file_fields():
        upload_to = field.upload_to if isinstance(field.upload_to, str) else ""
        if callable(field.upload_to):
            tops.add("files")  # huifu.files.models._storage_path
        elif upload_to:
            tops.add(upload_to.split("/", 1)[0])
    return tops


class Command(BaseCommand):
    help = "List database rows whose file is missing and stored files without a row."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--delete-orphans", action="store_true", help="Delete files without rows.")
        parser.add_argument("--min-age-hours", type=float, default=24.0)

    def handle(self, *args: Any, delete_orphans: bool = False, min_age_hours: float = 24.0, **options: Any) -> None:
        storage = default_storage
        referenced = referenced_names()
        missing = sorted((owner, name) for name, owner in referenced.items() if not storage.exists(name))
        on_disk: set[str] = set()
        for top in sorted(top_directories()):
            if storage.exists(top):
                on_disk.update(stored_names(storage, top))
        orphans = sorted(on_disk - set(referenced))
        self.stdout.write(f"rows with a file: {len(referenced)}; files in storage: {len(on_disk)}")
        self.stdout.write(f"rows without files: {len(missing)}")
        for owner, name in missing:
            self.stdout.write(f"  missing  {owner}  {name}")
        self.stdout.write(f"files without rows: {len(orphans)}")
        cutoff = timezone.now() - datetime.timedelta(hours=min_age_hours)
        deleted = 0
        for name in orphans:
            self.stdout.write(f"  orphan   {name}")
            if delete_orphans:
                try:
                    modified = storage.get_modified_time(name)
                except (NotImplementedError, OSError):
                    modified = None
                if modified is not None and modified < cutoff:
                    storage.delete(name)
                    deleted += 1
        if delete_orphans:
            self.stdout.write(f"deleted {deleted} orphan file(s) older than {min_age_hours:g} h")
        if missing or (orphans and not delete_orphans):
            raise SystemExit(1)
