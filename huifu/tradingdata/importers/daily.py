"""Importing Huifu's own daily-statistics layout (CSV or .xlsx), all or nothing, in flat memory.

Pass 1 (``validate``) streams the file row by row and checks every row; it keeps only small
per-key state: the lookups (members, products), the distinct dates, and the keys of the
current date (duplicates). Any bad row rejects the whole file with line numbers; nothing is
written.

Pass 2 (``load``) streams the file again into a temporary staging table: PostgreSQL ``COPY``
(psycopg 3 ``cursor.copy``), SQLite batched ``executemany``. Then, in the same transaction,
one ``DELETE`` of the days the file contains (re-importing a day replaces it) and one
``INSERT … SELECT`` into ``DailyMemberStat``. A duplicate the per-date check could not see
(the same day split across the file) trips the unique constraint; the staging table then
names the lines and the file is rejected like any other bad file.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from huifu.products.models import Product

from .common import DateChecker, ErrorList, ImportRejected, find_member, member_lookup

COLUMNS = ("trade_date", "member_number", "product_code", "contract", "volume", "turnover", "open_interest")
INT_RE = re.compile(r"^\d{1,15}$")
MONEY_RE = re.compile(r"^\d{1,18}(\.\d{1,2})?$")
CONTRACT_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,23}$")
STAGING = "tradingdata_staging"
BATCH_ROWS = 5000

Opener = Callable[[], IO[bytes]]


@dataclass
class Checked:
    rows_read: int = 0
    dates: set[datetime.date] = field(default_factory=set)


# --- reading ------------------------------------------------------------------------------------


@contextmanager
def _text(opener: Opener) -> Iterator[io.TextIOWrapper]:
    raw = opener()
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.detach()  # the caller owns (and closes) the binary file


def _cell(value: Any) -> str:
    """An .xlsx cell as the text the CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(Decimal(repr(value)), "f")
    return str(value)


def iter_rows(opener: Opener, file_format: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells as text) for every row, header included; streams both formats."""
    if file_format == "xlsx":
        from django.core.exceptions import ValidationError
        from openpyxl import load_workbook

        from huifu.files.validation import check_office_zip

        raw = opener()
        raw.seek(0)
        try:
            check_office_zip(raw)
        except ValidationError as exc:
            errors = ErrorList()
            errors.add(0, "", " ".join(exc.messages))
            raise ImportRejected(errors) from None
        workbook = load_workbook(raw, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in values]
                while cells and cells[-1] == "":
                    cells.pop()
                yield line, cells
        finally:
            workbook.close()
        return
    with _text(opener) as text:
        reader = csv.reader(text)
        try:
            for cells in reader:
                yield reader.line_num, cells
        except UnicodeDecodeError:
            raise ImportRejected(_encoding_error(reader.line_num + 1)) from None
        except csv.Error as exc:
            errors = ErrorList()
            errors.add(reader.line_num, "", _("The CSV cannot be read here: %(error)s") % {"error": exc})
            raise ImportRejected(errors) from None


def _encoding_error(line: int) -> ErrorList:
    errors = ErrorList()
    errors.add(line, "", _("The file is not UTF-8 text (save it as “CSV UTF-8”)."))
    return errors


def _header(cells: list[str]) -> tuple[list[int] | None, str]:
    """Column positions in COLUMNS order, or None and a message naming what is wrong."""
    names = [c.strip().lower() for c in cells]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if missing or unknown or repeated:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": ", ".join(u or "(empty)" for u in unknown)})
        if repeated:
            parts.append(_("repeated columns: %(cols)s") % {"cols": ", ".join(repeated)})
        expected = ",".join(COLUMNS)
        return None, _("The header row is wrong (%(problems)s). Expected: %(expected)s") % {
            "problems": "; ".join(parts),
            "expected": expected,
        }
    return [names.index(c) for c in COLUMNS], ""


# --- pass 1 -------------------------------------------------------------------------------------


class RowChecker:
    """Checks one row; keeps lookups, the distinct dates and the current date's keys."""

    def __init__(self, calendar: Any) -> None:
        self.dates = DateChecker(calendar)
        self.members = member_lookup()
        self.products: dict[str, tuple[int, str]] = {
            code: (pk, underlying or code)
            for pk, code, underlying in Product.objects.values_list("id", "code", "underlying__code")
        }
        self.seen_dates: set[datetime.date] = set()
        self._current_date: datetime.date | None = None
        self._keys: dict[tuple[int, int, str], int] = {}

    def check(self, line: int, cells: list[str], positions: list[int], errors: ErrorList) -> tuple | None:
        """The row as a tuple for loading, or None after recording its errors."""
        if len(cells) != len(COLUMNS):
            errors.add(
                line,
                "",
                _("Expected %(expected)s columns, found %(found)s.") % {"expected": len(COLUMNS), "found": len(cells)},
            )
            return None
        raw_date, member, product_code, contract, volume, turnover, oi = (cells[i].strip() for i in positions)
        ok = True
        day, message = self.dates.check(raw_date)
        if day is None:
            errors.add(line, "trade_date", message)
            ok = False
        org_id = find_member(self.members, member)
        if org_id is None:
            errors.add(line, "member_number", _("Unknown member number “%(value)s”.") % {"value": member[:20]})
            ok = False
        product = self.products.get(product_code.lower())
        if product is None:
            errors.add(line, "product_code", _("Unknown product “%(value)s”.") % {"value": product_code[:20]})
            ok = False
        contract = contract.lower()
        if not CONTRACT_RE.match(contract):
            errors.add(line, "contract", _("“%(value)s” is not a contract code.") % {"value": contract[:30]})
            ok = False
        elif product is not None and not contract.startswith(product[1]):
            errors.add(
                line,
                "contract",
                _("Contract “%(contract)s” does not belong to product “%(product)s”.")
                % {"contract": contract, "product": product_code},
            )
            ok = False
        for name, value in (("volume", volume), ("open_interest", oi)):
            if not INT_RE.match(value):
                errors.add(line, name, _("“%(value)s” is not a whole number of lots.") % {"value": value[:30]})
                ok = False
        if not MONEY_RE.match(turnover):
            errors.add(
                line,
                "turnover",
                _("“%(value)s” is not an amount in CNY (digits, at most two decimals).") % {"value": turnover[:30]},
            )
            ok = False
        if not ok:
            return None
        if day != self._current_date:
            self._current_date = day
            self._keys = {}
        key = (org_id, product[0], contract)
        first = self._keys.get(key)
        if first is not None:
            errors.add(
                line,
                "",
                _("Duplicate row: same trading day, member, product and contract as line %(line)s.") % {"line": first},
            )
            return None
        self._keys[key] = line
        self.seen_dates.add(day)
        return (line, day, org_id, product[0], contract, volume, turnover, oi)


def _rows(opener: Opener, file_format: str, checker: RowChecker, errors: ErrorList) -> Iterator[tuple]:
    """Checked rows (tuples) of the file; bad rows go to ``errors``."""
    rows = iter_rows(opener, file_format)
    positions: list[int] | None = None
    for line, cells in rows:
        if positions is None:
            positions, message = _header(cells)
            if positions is None:
                errors.add(line, "", message)
                return
            continue
        if not any(c.strip() for c in cells):
            continue  # blank lines (e.g. at the end of the file)
        row = checker.check(line, cells, positions, errors)
        if row is not None:
            yield row
    if positions is None:
        errors.add(1, "", _("The file is empty: it needs the header row and at least one data row."))


def validate(opener: Opener, file_format: str, calendar: Any) -> Checked:
    """Pass 1. Raises ImportRejected with every bad row; returns the dates and row count."""
    errors = ErrorList()
    checker = RowChecker(calendar)
    count = sum(1 for _row in _rows(opener, file_format, checker, errors))
    if not errors and count == 0:
        errors.add(2, "", _("The file has a header but no data rows."))
    if errors:
        raise ImportRejected(errors, rows_read=count)
    return Checked(rows_read=count, dates=checker.seen_dates)


# --- pass 2 -------------------------------------------------------------------------------------


def _create_staging(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    on_commit = " ON COMMIT DROP" if connection.vendor == "postgresql" else ""
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGING} (line integer, trade_date date, organisation_id bigint, "
        f"product_id bigint, contract varchar(24), volume bigint, turnover numeric(20, 2), "
        f"open_interest bigint){on_commit}"
    )


def _fill_staging(cursor: Any, rows: Iterator[tuple]) -> None:
    if connection.vendor == "postgresql":
        # Values are validated digits, dates and [a-z0-9_-]: nothing to escape in COPY text format.
        with cursor.cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
            buffer: list[str] = []
            for line, day, org_id, product_id, contract, volume, turnover, oi in rows:
                buffer.append(f"{line}\t{day}\t{org_id}\t{product_id}\t{contract}\t{volume}\t{turnover}\t{oi}\n")
                if len(buffer) >= BATCH_ROWS:
                    copy.write("".join(buffer))
                    buffer.clear()
            if buffer:
                copy.write("".join(buffer))
        return
    sql = f"INSERT INTO {STAGING} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608 - table names are constants
    batch: list[tuple] = []
    for line, day, org_id, product_id, contract, volume, turnover, oi in rows:
        batch.append((line, day.isoformat(), org_id, product_id, contract, int(volume), turnover, int(oi)))
        if len(batch) >= BATCH_ROWS:
            cursor.executemany(sql, batch)
            batch.clear()
    if batch:
        cursor.executemany(sql, batch)


def _duplicates(cursor: Any) -> ErrorList:
    cursor.execute(f"CREATE INDEX {STAGING}_key ON {STAGING} (trade_date, organisation_id, product_id, contract)")
    cursor.execute(
        f"SELECT s.line, MIN(f.line) FROM {STAGING} s JOIN {STAGING} f ON f.trade_date = s.trade_date "  # noqa: S608 - table names are constants
        f"AND f.organisation_id = s.organisation_id AND f.product_id = s.product_id AND f.contract = s.contract "
        f"AND f.line < s.line GROUP BY s.line ORDER BY s.line"
    )
    errors = ErrorList()
    for line, first in cursor.fetchall():
        errors.add(
            line,
            "",
            _("Duplicate row: same trading day, member, product and contract as line %(line)s.") % {"line": first},
        )
    return errors


def load(
    opener: Opener, file_format: str, calendar: Any, checked: Checked, batch_id: int, *, replace_days: bool = True
) -> tuple[int, int]:
    """Pass 2, inside the caller's transaction: (rows imported, rows replaced).

    ``replace_days``: every stored row of the file's days goes (all members); otherwise only the
    stored rows with the same day, member, product and contract as a row of the file (corrections)."""
    from huifu.tradingdata.models import DailyMemberStat

    table = DailyMemberStat._meta.db_table
    errors = ErrorList()
    checker = RowChecker(calendar)
    with connection.cursor() as cursor:
        _create_staging(cursor)
        _fill_staging(cursor, _rows(opener, file_format, checker, errors))
        if errors:  # the file changed between the passes
            raise ImportRejected(errors, rows_read=checked.rows_read)
        dates = sorted(checked.dates | checker.seen_dates) if replace_days else []
        replaced = 0
        if not replace_days:
            cursor.execute(
                f"DELETE FROM {table} WHERE EXISTS (SELECT 1 FROM {STAGING} s WHERE s.trade_date = {table}.trade_date "  # noqa: S608 - table names are constants
                f"AND s.organisation_id = {table}.organisation_id AND s.product_id = {table}.product_id "
                f"AND s.contract = {table}.contract)"
            )
            replaced = max(cursor.rowcount, 0)
        for start in range(0, len(dates), 500):
            chunk = dates[start : start + 500]
            cursor.execute(
                f"DELETE FROM {table} WHERE trade_date IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608 - table names are constants
                [d.isoformat() for d in chunk],
            )
            replaced += max(cursor.rowcount, 0)
        try:
            with transaction.atomic():
                cursor.execute(
                    f"INSERT INTO {table} (trade_date, organisation_id, product_id, contract, volume, turnover, "  # noqa: S608 - table names are constants
                    f"open_interest, batch_id) SELECT trade_date, organisation_id, product_id, contract, volume, "
                    f"turnover, open_interest, %s FROM {STAGING}",
                    [batch_id],
                )
                imported = cursor.rowcount
        except IntegrityError:
            duplicates = _duplicates(cursor)
            if not duplicates:
                raise
            raise ImportRejected(duplicates, rows_read=checked.rows_read) from None
        cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    return imported, replaced
