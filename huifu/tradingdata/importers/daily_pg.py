"""The PostgreSQL fast path of the CSV import: the server reads, checks and loads the file.

Python reads only the header line (checked exactly like the streaming path) and then streams
the raw bytes, unparsed, into ``COPY … (FORMAT csv)`` of a temporary staging table of text
columns plus ``line`` (a serial filled in file order: file line = serial + 1). The checks are
set-wise SQL over the staging table, against three small temporary tables built in Python:

* ``tradingdata_pg_days``: the file's distinct dates (``SELECT DISTINCT``) that
  ``DateChecker`` accepts (a real date and a trading day of ``huifu.tradingdata.calendar``);
* ``tradingdata_pg_members``: member numbers, plus the forms with the leading zeros Excel
  drops (``101`` for ``0101``) where they name no other member (same rule as ``find_member``);
* ``tradingdata_pg_products``: product codes and the code a contract must start with.

Then, in one savepoint: ``DELETE`` the file's days, one ``INSERT … SELECT`` with the casts and
joins of only the rows passing every check. If it inserted every data row, the import is done.
Otherwise (or when the unique key trips on a duplicate) the savepoint is rolled back and the
error rows are fetched (``ORDER BY line LIMIT 500``) with the total error count; the messages
come from the same ``RowChecker`` as the streaming path, so reports read the same.

Whenever this path cannot give the exact report, it steps aside (returns ``None``) and the
caller runs the streaming path: a header that is wrong, an empty file, a row COPY cannot read
(wrong column count, broken quoting, not UTF-8), quoted values spanning lines (line numbers
would shift), or a row this path rejects but ``RowChecker`` accepts (e.g. full-width digits).
Python memory stays flat: 1 MB chunks out, at most 500 error rows in.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from huifu.products.models import Product

from .common import MAX_STORED_ERRORS, DateChecker, ErrorList, ImportRejected, member_lookup
from .daily import COLUMNS, Opener, RowChecker, _header

STAGING = "tradingdata_pg_staging"
DAYS = "tradingdata_pg_days"
MEMBERS = "tradingdata_pg_members"
PRODUCTS = "tradingdata_pg_products"
CHUNK = 1 << 20
MAX_DISTINCT_DATES = 20000
# What Python's str.strip() removes that matters in practice (ASCII whitespace, NBSP, ideographic space).
WS = "E' \\t\\r\\n\\x0b\\x0c\\u00a0\\u3000'"
DUPLICATE_MESSAGE = "Duplicate row: same trading day, member, product and contract as line %(line)s."


@dataclass
class Loaded:
    rows_read: int
    imported: int
    replaced: int
    dates: list


class _StepAside(Exception):
    """This path cannot give the exact answer: run the streaming path instead."""


def _t(column: str) -> str:
    return f"btrim(s.{column}, {WS})"


# Every check of RowChecker.check, written over the staging row ``s`` and the lookups.
CONTRACT = f"lower({_t('contract')})"
JOINS = (
    f"LEFT JOIN {DAYS} d ON d.txt = {_t('trade_date')} "
    f"LEFT JOIN {MEMBERS} m ON m.number = {_t('member_number')} "
    f"LEFT JOIN {PRODUCTS} p ON p.code = lower({_t('product_code')})"
)
FLAGS = {
    "trade_date": "d.day IS NULL",
    "member_number": "m.org_id IS NULL",
    "product_code": "p.id IS NULL",
    "contract": (
        f"(coalesce({CONTRACT} !~ '^[a-z0-9][a-z0-9_-]{{1,23}}$', true) "
        f"OR (p.id IS NOT NULL AND NOT starts_with({CONTRACT}, p.underlying)))"
    ),
    "volume": f"coalesce({_t('volume')} !~ '^[0-9]{{1,15}}$', true)",
    "open_interest": f"coalesce({_t('open_interest')} !~ '^[0-9]{{1,15}}$', true)",
    "turnover": f"coalesce({_t('turnover')} !~ '^[0-9]{{1,18}}([.][0-9]{{1,2}})?$', true)",
}
ANY_FLAG = " OR ".join(f"({flag})" for flag in FLAGS.values())
BLANK = " AND ".join(f"coalesce({_t(c)}, '') = ''" for c in COLUMNS)


def _read_header(opener: Opener) -> list[str]:
    """The CSV's first row as its column names; step aside when it is not exactly right."""
    raw = opener()
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        first = next(csv.reader(text), None)
    except (UnicodeDecodeError, csv.Error):
        raise _StepAside from None
    finally:
        text.detach()
    if not first:
        raise _StepAside
    positions, _message = _header(first)
    if positions is None:
        raise _StepAside
    return [c.strip().lower() for c in first]


def _copy_file(cursor: Any, opener: Opener, names: list[str]) -> tuple[int, int]:
    """COPY the raw file into staging; (data rows, physical lines) — trailing blank lines dropped."""
    raw = opener()
    raw.seek(0)
    lines = 0
    pending = b""
    sql = f"COPY {STAGING} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')"
    try:
        with transaction.atomic(), cursor.cursor.copy(sql) as copy:
            while chunk := raw.read(CHUNK):
                if pending:
                    copy.write(pending)
                    lines += pending.count(b"\n")
                pending = chunk
            pending = pending.rstrip(b"\r\n")
            if pending:
                pending += b"\n"
                copy.write(pending)
                lines += pending.count(b"\n")
    except psycopg.Error:  # a row COPY cannot read: the streaming path names it
        raise _StepAside from None
    cursor.execute(f"SELECT count(*) FROM {STAGING}")  # noqa: S608 - table names are constants
    return cursor.fetchone()[0], lines


def _fill(cursor: Any, table: str, rows: list[tuple]) -> None:
    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"ANALYZE {table}")


def _lookups(cursor: Any, calendar: Any) -> list:
    """Build the three small lookup tables; returns the file's good trading days."""
    cursor.execute(
        f"SELECT DISTINCT {_t('trade_date')} FROM {STAGING} s WHERE s.trade_date IS NOT NULL "  # noqa: S608
        f"LIMIT {MAX_DISTINCT_DATES + 1}"
    )
    distinct = [row[0] for row in cursor.fetchall()]
    if len(distinct) > MAX_DISTINCT_DATES:
        raise _StepAside
    checker = DateChecker(calendar)
    days = []
    for text in distinct:
        day, _message = checker.check(text)
        if day is not None:
            days.append((text, day))
    members = member_lookup()
    numbers = dict(members)
    for number, org_id in members.items():
        # find_member: an all-digit number shorter than four digits is also tried zero-padded.
        if number.isdigit() and len(number) == 4:
            for cut in range(1, 4):
                if number[:cut].strip("0") == "":
                    numbers.setdefault(number[cut:], org_id)
    products = [
        (code.lower(), pk, (underlying or code))
        for pk, code, underlying in Product.objects.values_list("id", "code", "underlying__code")
    ]
    cursor.execute(f"CREATE TEMPORARY TABLE {DAYS} (txt text PRIMARY KEY, day date NOT NULL) ON COMMIT DROP")
    cursor.execute(f"CREATE TEMPORARY TABLE {MEMBERS} (number text PRIMARY KEY, org_id bigint NOT NULL) ON COMMIT DROP")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {PRODUCTS} (code text PRIMARY KEY, id bigint NOT NULL, underlying text NOT NULL) "
        f"ON COMMIT DROP"
    )
    _fill(cursor, DAYS, days)
    _fill(cursor, MEMBERS, list(numbers.items()))
    _fill(cursor, PRODUCTS, list({code: (code, pk, u) for code, pk, u in products}.values()))
    return sorted(day for _text, day in days)


def _load(cursor: Any, table: str, batch_id: int) -> tuple[int, int]:
    """DELETE the file's days, INSERT the rows passing every check: (inserted, deleted)."""
    cursor.execute(f"DELETE FROM {table} WHERE trade_date IN (SELECT day FROM {DAYS})")  # noqa: S608
    replaced = max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {table} (trade_date, organisation_id, product_id, contract, volume, turnover, "  # noqa: S608
        f"open_interest, batch_id) SELECT d.day, m.org_id, p.id, {CONTRACT}, {_t('volume')}::bigint, "
        f"{_t('turnover')}::numeric(20, 2), {_t('open_interest')}::bigint, %s FROM {STAGING} s {JOINS} "
        f"WHERE NOT ({ANY_FLAG})",
        [batch_id],
    )
    return cursor.rowcount, replaced


class _Incomplete(Exception):
    pass


def _errors(cursor: Any, calendar: Any) -> tuple[ErrorList, int]:
    """The file's errors, as the streaming path words them, and the number of blank rows."""
    field_list = ", ".join(f"({flag})::int" for flag in FLAGS.values())
    cursor.execute(
        f"SELECT count(*) FILTER (WHERE {BLANK}), "  # noqa: S608 - table names are constants
        f"coalesce(sum(({' + '.join(f'({flag})::int' for flag in FLAGS.values())})) "
        f"FILTER (WHERE NOT ({BLANK})), 0) FROM {STAGING} s {JOINS}"
    )
    blank, field_errors = cursor.fetchone()
    cursor.execute(
        f"SELECT s.line + 1, {', '.join(f's.{c}' for c in COLUMNS)}, {field_list} "  # noqa: S608
        f"FROM {STAGING} s {JOINS} WHERE ({ANY_FLAG}) AND NOT ({BLANK}) ORDER BY s.line LIMIT {MAX_STORED_ERRORS}"
    )
    bad_rows = cursor.fetchall()
    key = f"d.day, m.org_id, p.id, {CONTRACT}"
    duplicates_sql = (
        f"FROM (SELECT s.line + 1 AS line, min(s.line + 1) OVER (PARTITION BY {key}) AS first "  # noqa: S608
        f"FROM {STAGING} s {JOINS} WHERE NOT ({ANY_FLAG})) x WHERE x.line > x.first"
    )
    cursor.execute(f"SELECT count(*) {duplicates_sql}")
    duplicate_count = cursor.fetchone()[0]
    cursor.execute(f"SELECT line, first {duplicates_sql} ORDER BY line LIMIT {MAX_STORED_ERRORS}")
    duplicates = cursor.fetchall()

    checker = RowChecker(calendar)
    identity = list(range(len(COLUMNS)))
    found: list[tuple[int, int, str, str]] = []
    for row in bad_rows:
        line, cells, flags = row[0], ["" if v is None else v for v in row[1 : 1 + len(COLUMNS)]], row[1 + len(COLUMNS) :]
        row_errors = ErrorList()
        if checker.check(line, cells, identity, row_errors) is not None or row_errors.count != sum(flags):
            raise _StepAside  # this path and RowChecker disagree on the row: let RowChecker decide
        found.extend((e.line, order, e.field, e.message) for order, e in enumerate(row_errors.items))
    for line, first in duplicates:
        found.append((line, 0, "", _(DUPLICATE_MESSAGE) % {"line": first}))
    errors = ErrorList()
    for line, _order, field_name, message in sorted(found)[:MAX_STORED_ERRORS]:
        errors.add(line, field_name, message)
    errors.count = field_errors + duplicate_count
    return errors, blank


def import_csv(opener: Opener, calendar: Any, batch_id: int) -> Loaded | None:
    """Import a CSV inside the caller's transaction; None when the streaming path must decide.

    Raises ImportRejected (nothing written) when the file has bad rows.
    """
    from huifu.tradingdata.models import DailyMemberStat

    table = DailyMemberStat._meta.db_table
    try:
        names = _read_header(opener)
        with transaction.atomic(), connection.cursor() as cursor:  # stepping aside undoes everything
            for temp in (STAGING, DAYS, MEMBERS, PRODUCTS):
                cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} (line bigserial, "
                f"{', '.join(f'{c} text' for c in COLUMNS)}) ON COMMIT DROP"
            )
            rows, lines = _copy_file(cursor, opener, names)
            if rows == 0:
                raise _StepAside  # "header but no data rows": worded by the streaming path
            days = _lookups(cursor, calendar)
            try:
                with transaction.atomic():
                    imported, replaced = _load(cursor, table, batch_id)
                    if imported != rows:
                        raise _Incomplete
            except (IntegrityError, _Incomplete):
                if lines != rows + 1:
                    raise _StepAside from None  # values spanning lines: serials are not file lines
                errors, blank = _errors(cursor, calendar)
                if errors:
                    raise ImportRejected(errors, rows_read=rows - blank) from None
                if not blank:
                    raise _StepAside from None
                # Only blank rows were left out (the streaming path skips them too): load again.
                imported, replaced = _load(cursor, table, batch_id)
                if imported != rows - blank:
                    raise _StepAside from None
            for temp in (STAGING, DAYS, MEMBERS, PRODUCTS):
                cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    except _StepAside:
        return None
    return Loaded(rows_read=imported, imported=imported, replaced=replaced, dates=days)
