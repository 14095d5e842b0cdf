"""Writing trading data: exchange closures and file imports.

Each operation is one transaction and one audit entry::

    closure_add(*, day, reason, actor) -> ExchangeClosure
    closure_remove(*, closure, actor) -> None
    import_daily_file(*, opener, file_format, original_name, actor, ...) -> ImportBatch
    import_ranking_file(*, file, original_name, actor, ...) -> ImportBatch
    import_upload(*, upload, actor) -> ImportBatch        (web upload: picks the format)

An import is all or nothing: a file with any bad row gives a *rejected* batch that lists the
bad rows by line number and imports nothing; the batch itself is kept so staff can see why.
Re-importing a day replaces it (the rows of every trading day in the file are deleted first);
when that removes more rows than the file brings, the import asks for confirmation. The
"correct rows" mode replaces only the rows the file holds.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, snapshot
from huifu.workdays.engine import DayType, field_error

from .importers import daily, daily_pg, ranking
from .importers.common import ImportRejected
from .models import (
    DailyMemberStat,
    ExchangeClosure,
    ImportBatch,
    ImportFormat,
    ImportMode,
    ImportStatus,
    RankingRow,
)
from .selectors import trading_calendar

CSV_MAX_BYTES = 200 * 1024 * 1024  # web uploads of CSV; larger files: manage.py tradingdata_import


# --- closures -----------------------------------------------------------------------------------


def closure_add(*, day: datetime.date, reason: str, actor: Any) -> ExchangeClosure:
    """Mark an ordinary working day as closed for trading. Refuses weekends, holidays, make-up
    working days (they never trade anyway), a day already closed, and a day with imported data."""
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Give the reason (e.g. the exchange's notice)."), "required")
    calendar = trading_calendar()
    if calendar.working.day_type(day) != DayType.WORKDAY:
        raise field_error(
            "day",
            _("%(day)s is not an ordinary working day: it never trades anyway.") % {"day": day},
            "not_working_day",
        )
    with transaction.atomic():
        if ExchangeClosure.objects.select_for_update().filter(day=day).exists():
            raise field_error("day", _("%(day)s is already a closure.") % {"day": day}, "duplicate")
        if DailyMemberStat.objects.filter(trade_date=day).exists():
            raise field_error(
                "day",
                _("Trading data has been imported for %(day)s; a closed day cannot have any.") % {"day": day},
                "has_data",
            )
        closure = ExchangeClosure.objects.create(day=day, reason=reason[:200], created_by=actor)
        audit_create(actor=actor, target=closure)
    return closure


def closure_remove(*, closure: ExchangeClosure, actor: Any) -> None:
    with transaction.atomic():
        before = snapshot(closure)
        label = str(closure)
        closure.delete()
        audit_record(actor=actor, action=AuditAction.DELETE, changes=before, target_label=label)


# --- imports ------------------------------------------------------------------------------------


def _digest(opener: Callable[[], IO[bytes]]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    file = opener()
    file.seek(0)
    while chunk := file.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


def _finish(batch: ImportBatch, actor: Any, message: str) -> ImportBatch:
    batch.finished_at = timezone.now()
    batch.save()
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        target=batch,
        message=message,
        changes={
            "status": batch.status,
            "rows_imported": batch.rows_imported,
            "rows_replaced": batch.rows_replaced,
            "errors": batch.error_count,
        },
    )
    return batch


def _reject(batch: ImportBatch, exc: ImportRejected) -> None:
    batch.status = ImportStatus.REJECTED
    batch.errors = exc.errors.as_json()
    batch.error_count = exc.errors.count
    batch.rows_read = exc.rows_read
    batch.rows_imported = 0
    batch.rows_replaced = 0


def import_daily_file(
    *,
    opener: Callable[[], IO[bytes]],
    file_format: str,
    original_name: str,
    actor: Any,
    stored_file: Any = None,
    source_file: File | None = None,
    mode: str = ImportMode.REPLACE_DAYS,
    confirm_replace: bool = False,
) -> ImportBatch:
    """Import Huifu's own layout (``csv`` or ``xlsx``) from ``opener()`` (a binary file, read twice).

    Returns the batch: ``imported`` with counts, or ``rejected`` with the bad rows (nothing
    imported). Memory stays flat. A CSV on PostgreSQL is read, checked and loaded by the server
    (``importers/daily_pg.py``); otherwise two streaming passes (``importers/daily.py``).

    ``mode`` ``replace_days`` replaces every stored row of the file's trading days (all
    members). When that would remove more rows than the file brings, nothing is imported unless
    ``confirm_replace``: a ValidationError keyed ``confirm_replace`` (code ``replaces_more``)
    names the days, the members who would lose rows and the counts. ``correct_rows`` replaces
    only the stored rows with the same day, member, product and contract as a row of the file.
    """
    if file_format not in (ImportFormat.CSV, ImportFormat.XLSX):
        raise ValueError(file_format)
    if mode not in ImportMode.values:
        raise ValueError(mode)
    sha256, size = _digest(opener)
    calendar = trading_calendar()
    with transaction.atomic():
        batch = ImportBatch(
            file_format=file_format,
            status=ImportStatus.IMPORTED,
            original_name=original_name[:255],
            sha256=sha256,
            size=size,
            stored_file=stored_file,
            created_by=actor if actor else None,
            created_at=timezone.now(),
            finished_at=timezone.now(),
            mode=mode,
        )
        if source_file is not None:
            batch.source_file.save(os.path.basename(original_name) or "import.csv", source_file, save=False)
        batch.save()
        try:
            with transaction.atomic():
                replace_days = mode == ImportMode.REPLACE_DAYS
                loaded = None
                if replace_days and file_format == ImportFormat.CSV and connection.vendor == "postgresql":
                    loaded = daily_pg.import_csv(opener, calendar, batch.pk)
                if loaded is None:  # SQLite, .xlsx, corrections, or a file only the streaming path can word
                    checked = daily.validate(opener, file_format, calendar)
                    imported, replaced = daily.load(
                        opener, file_format, calendar, checked, batch.pk, replace_days=replace_days
                    )
                    loaded = daily_pg.Loaded(checked.rows_read, imported, replaced, sorted(checked.dates))
                if replace_days and not confirm_replace and loaded.replaced > loaded.imported:
                    file_members = set(
                        DailyMemberStat.objects.filter(batch_id=batch.pk)
                        .order_by()
                        .values_list("organisation_id", flat=True)
                        .distinct()
                    )
                    raise _NeedsConfirmation(loaded, file_members)
        except _NeedsConfirmation as pending:
            raise _replacement_error(pending) from None
        except ImportRejected as exc:
            _reject(batch, exc)
        else:
            batch.rows_read = loaded.rows_read
            batch.rows_imported = loaded.imported
            batch.rows_replaced = loaded.replaced
            batch.first_date = loaded.dates[0]
            batch.last_date = loaded.dates[-1]
            batch.day_count = len(loaded.dates)
        return _finish(batch, actor, original_name)


class _NeedsConfirmation(Exception):
    def __init__(self, loaded: Any, file_members: set[int]) -> None:
        super().__init__("replacing more rows than the file brings")
        self.loaded = loaded
        self.file_members = file_members


def _replacement_error(pending: _NeedsConfirmation) -> ValidationError:
    """What a replace-days import would remove (read after rolling it back): days, members, rows."""
    from huifu.directory.models import Organisation

    loaded = pending.loaded
    days = loaded.dates
    losing = sorted(
        set(
            DailyMemberStat.objects.filter(trade_date__in=days)
            .order_by()
            .values_list("organisation_id", flat=True)
            .distinct()
        )
        - pending.file_members
    )
    names = [
        f"{number or ''} {name}".strip()
        for number, name in Organisation.objects.filter(pk__in=losing[:10])
        .order_by("member_number")
        .values_list("member_number", "name_zh")
    ]
    shown = ", ".join(d.isoformat() for d in days[:10]) + ("…" if len(days) > 10 else "")
    message = _(
        "Nothing was imported. This file brings %(imported)s rows but would replace %(replaced)s stored rows: "
        "every row of %(day_count)s trading days (%(days)s), for all members."
    ) % {"imported": loaded.imported, "replaced": loaded.replaced, "day_count": len(days), "days": shown}
    if losing:
        message += " " + _("%(count)s members not in the file would lose their rows of these days: %(names)s.") % {
            "count": len(losing),
            "names": "、".join(names) + ("…" if len(losing) > len(names) else ""),
        }
    message += " " + _(
        "To correct single rows, choose “correct only the rows in the file”; to replace the whole days, "
        "tick the confirmation and import again."
    )
    return ValidationError({"confirm_replace": ValidationError(message, code="replaces_more")})


def import_ranking_file(
    *, file: IO[bytes], original_name: str, actor: Any, source_file: File | None = None
) -> ImportBatch:
    """Import a public ranking file ``pm{YYYYMMDD}.dat``; replaces that report date's rows."""
    sha256, size = _digest(lambda: file)
    calendar = trading_calendar()
    with transaction.atomic():
        batch = ImportBatch(
            file_format=ImportFormat.RANKING,
            status=ImportStatus.IMPORTED,
            original_name=original_name[:255],
            sha256=sha256,
            size=size,
            created_by=actor if actor else None,
            created_at=timezone.now(),
            finished_at=timezone.now(),
        )
        if source_file is not None:
            batch.source_file.save(os.path.basename(original_name) or "ranking.dat", source_file, save=False)
        batch.save()
        try:
            parsed = ranking.parse(file, original_name, calendar)
        except ImportRejected as exc:
            _reject(batch, exc)
        else:
            replaced, _deleted = RankingRow.objects.filter(report_date=parsed.report_date).delete()
            RankingRow.objects.bulk_create(
                [RankingRow(batch=batch, report_date=parsed.report_date, **row) for row in parsed.rows], batch_size=1000
            )
            batch.rows_read = batch.rows_imported = len(parsed.rows)
            batch.rows_replaced = replaced
            batch.first_date = batch.last_date = parsed.report_date
            batch.day_count = 1
        return _finish(batch, actor, original_name)


def _check_text_upload(upload: Any, limit: int) -> None:
    """CSV and ranking files are text, which the files app has no kind for: checked here."""
    name = getattr(upload, "name", "") or ""
    size = upload.size
    if not size:
        raise ValidationError({"file": _("“%(name)s” is empty.") % {"name": name}})
    if size > limit:
        raise ValidationError(
            {
                "file": _(
                    "“%(name)s” is too large for a web upload (at most %(mb)s MB); use the tradingdata_import command."
                )
                % {"name": name, "mb": limit // (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if b"\x00" in head:
        raise ValidationError({"file": _("“%(name)s” is not a text file.") % {"name": name}})
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
            raise ValidationError(
                {"file": _("“%(name)s” is not UTF-8 text (save it as “CSV UTF-8”).") % {"name": name}}
            ) from None


def import_upload(
    *, upload: Any, actor: Any, mode: str = ImportMode.REPLACE_DAYS, confirm_replace: bool = False
) -> ImportBatch:
    """A web upload: ``.csv`` and ``.xlsx`` in Huifu's layout, ``pm*.dat`` / ``.json`` ranking files.

    The .xlsx goes through the files app (kind checked by content); CSV and ranking files are
    text, which the files app does not accept, so this app checks them (size, no binary, UTF-8).
    Raises ValidationError keyed ``file`` for an unacceptable file; a file with bad rows gives
    a rejected batch instead.
    """
    from huifu.files.kinds import SPREADSHEET_KINDS
    from huifu.files.services import file_store

    name = os.path.basename(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if extension == ".xlsx":
        stored = file_store(
            upload=upload,
            actor=actor,
            organisation=None,
            purpose="tradingdata_import",
            allowed_kinds=SPREADSHEET_KINDS,
        )

        def open_stored() -> IO[bytes]:
            upload.seek(0)
            return upload

        return import_daily_file(
            opener=open_stored,
            file_format=ImportFormat.XLSX,
            original_name=name,
            actor=actor,
            stored_file=stored,
            mode=mode,
            confirm_replace=confirm_replace,
        )
    if extension == ".csv":
        _check_text_upload(upload, CSV_MAX_BYTES)

        def open_upload() -> IO[bytes]:
            upload.seek(0)
            return upload

        return import_daily_file(
            opener=open_upload,
            file_format=ImportFormat.CSV,
            original_name=name,
            actor=actor,
            source_file=File(upload),
            mode=mode,
            confirm_replace=confirm_replace,
        )
    if extension in (".dat", ".json"):
        _check_text_upload(upload, ranking.MAX_BYTES)
        return import_ranking_file(file=upload, original_name=name, actor=actor, source_file=File(upload))
    raise ValidationError(
        {
            "file": _("“%(name)s”: upload a .csv or .xlsx file in Huifu's layout, or a pmYYYYMMDD.dat ranking file.")
            % {"name": name}
        }
    )
