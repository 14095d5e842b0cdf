"""The PostgreSQL fast path of the CSV import: the server reads, checks and loads the file.

Python reads only the header line (checked exactly like the streaming path) and then streams
the raw bytes, unparsed, into ``COPY … (FORMAT csv)`` of a temporary staging table of text
columns (freshly created and filled by that one COPY only, so its physical order is the file's:
the error report numbers rows by ``ctid``, file line = row number + 1; no serial on the hot path). One grouped
scan (``GROUPING SETS``) lists the file's distinct dates, member numbers and (product, contract)
pairs; Python checks each distinct value with ``RowChecker``'s own rules (strip, case, Excel's
dropped zeros, trading calendar) into three small temporary lookup tables keyed by the raw text.
Numbers are guarded without string functions or regular expressions on the hot path: a value
passes only when it is the canonical text of its own cast (``v::bigint::text = v``, likewise for
numeric) and within range and scale — a strict subset of what ``RowChecker`` accepts (signs,
exponents, ``NaN``, stray dots, padding and leading zeros all fail it; the last two are accepted by
``RowChecker``, so such files step aside). A cast that fails raises and leads to the error report
like any bad row.

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
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from .common import MAX_STORED_ERRORS, ErrorList, ImportRejected, find_member
from .daily import COLUMNS, CONTRACT_RE, Opener, RowChecker, _header

STAGING = "tradingdata_pg_staging"
DAYS = "tradingdata_pg_days"
MEMBERS = "tradingdata_pg_members"
CONTRACTS = "tradingdata_pg_contracts"
LINES = "tradingdata_pg_lines"  # the staging rows numbered, built only for the error report
TEMP_TABLES = (STAGING, DAYS, MEMBERS, CONTRACTS, LINES)
CHUNK = 1 << 20
MAX_DISTINCT = 200_000  # distinct dates + members + (product, contract) pairs: beyond, step aside
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


class _Incomplete(Exception):
    pass


def _t(column: str) -> str:
    return f"btrim(s.{column}, {WS})"


# The lookups are keyed by the raw text as it stands in the file (NULL never joins).
JOINS = (
    f"LEFT JOIN {DAYS} d ON d.raw = s.trade_date "
    f"LEFT JOIN {MEMBERS} m ON m.raw = s.member_number "
    f"LEFT JOIN {CONTRACTS} c ON c.product_raw = s.product_code AND c.contract_raw = s.contract"
)
# Per field, whether RowChecker.check reports it (numbers: stricter or equal; see _errors).
FLAGS = {
    "trade_date": "d.day IS NULL",
    "member_number": "m.org_id IS NULL",
    "product_code": "c.product_id IS NULL",
    "contract": "coalesce(NOT c.contract_ok, true)",
    "volume": f"coalesce({_t('volume')} !~ '^[0-9]{{1,15}}$', true)",
    "open_interest": f"coalesce({_t('open_interest')} !~ '^[0-9]{{1,15}}$', true)",
    "turnover": f"coalesce({_t('turnover')} !~ '^[0-9]{{1,18}}([.][0-9]{{1,2}})?$', true)",
}
ANY_FLAG = " OR ".join(f"({flag})" for flag in FLAGS.values())
BLANK = " AND ".join(f"coalesce({_t(c)}, '') = ''" for c in COLUMNS)
# The hot path: a number passes only when it is the canonical output of its own cast, within
# range — i.e. volume/open_interest match ^(0|[1-9][0-9]{0,14})$ and turnover matches
# ^(0|[1-9][0-9]{0,17})([.][0-9]{1,2})?$, both strict subsets of RowChecker's rules. numeric_out
# keeps the input's scale ('1.50' stays '1.50'), drops '+', leading zeros, exponents and stray
# dots ('1e3' -> '1000', '.5' -> '0.5', '5.' -> '5', '-0' -> '0'); NaN and Infinity fail "< 1e18";
# a minus sign fails ">= 0" by way of the text or the range. A cast that fails raises (-> _errors).
NUMBERS_OK = (
    "s.v::text = s.volume AND s.v BETWEEN 0 AND 999999999999999 "
    "AND s.oi::text = s.open_interest AND s.oi BETWEEN 0 AND 999999999999999 "
    "AND s.t::text = s.turnover AND s.t >= 0 AND s.t < 1e18 AND scale(s.t) <= 2"
)
# Each number is cast once: OFFSET 0 keeps the planner from inlining the casts into both the
# guard and the select list (measured ~0.3 s less per million rows).
CAST_ONCE = (
    f"(SELECT {', '.join(COLUMNS)}, volume::bigint AS v, turnover::numeric AS t, "  # noqa: S608 - table and column names are constants
    f"open_interest::bigint AS oi FROM {STAGING} OFFSET 0)"
)


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


def _fill(cursor: Any, table: str, rows: Any) -> None:
    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"ANALYZE {table}")


def _lookups(cursor: Any, calendar: Any) -> list:
    """Check every distinct date, member and (product, contract) of the file with RowChecker's
    own rules (one grouped scan), into the lookup tables; returns the file's good trading days."""
    checker = RowChecker(calendar)
    cursor.execute(
        f"SELECT trade_date, member_number, product_code, contract, GROUPING(trade_date), "  # noqa: S608
        f"GROUPING(member_number) FROM {STAGING} "
        f"GROUP BY GROUPING SETS ((trade_date), (member_number), (product_code, contract))"
    )
    days, members, contracts = [], [], []
    seen = 0
    while batch := cursor.fetchmany(5000):
        seen += len(batch)
        if seen > MAX_DISTINCT:
            raise _StepAside
        for trade_date, member, product_code, contract, no_date, no_member in batch:
            if not no_date:
                if trade_date is not None:
                    day, _message = checker.dates.check(trade_date.strip())
                    if day is not None:
                        days.append((trade_date, day))
            elif not no_member:
                org_id = None if member is None else find_member(checker.members, member.strip())
                if org_id is not None:
                    members.append((member, org_id))
            elif product_code is not None and contract is not None:
                product = checker.products.get(product_code.strip().lower())
                normal = contract.strip().lower()
                ok = bool(CONTRACT_RE.match(normal)) and (product is None or normal.startswith(product[1]))
                # Only good codes are kept (at most 24 characters, like the statistics column).
                contracts.append((product_code, contract, product[0] if product else None, normal if ok else None, ok))
    cursor.execute(f"CREATE TEMPORARY TABLE {DAYS} (raw text PRIMARY KEY, day date NOT NULL) ON COMMIT DROP")
    cursor.execute(f"CREATE TEMPORARY TABLE {MEMBERS} (raw text PRIMARY KEY, org_id bigint NOT NULL) ON COMMIT DROP")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {CONTRACTS} (product_raw text, contract_raw text, product_id bigint, "
        f"contract varchar(24), contract_ok boolean, PRIMARY KEY (product_raw, contract_raw)) ON COMMIT DROP"
    )
    _fill(cursor, DAYS, days)
    _fill(cursor, MEMBERS, members)
    _fill(cursor, CONTRACTS, contracts)
    return sorted({day for _raw, day in days})


def _load(cursor: Any, table: str, batch_id: int) -> tuple[int, int]:
    """DELETE the file's days, INSERT the rows passing every check: (inserted, deleted)."""
    cursor.execute(f"DELETE FROM {table} WHERE trade_date IN (SELECT day FROM {DAYS})")  # noqa: S608
    replaced = max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {table} (trade_date, organisation_id, product_id, contract, volume, turnover, "  # noqa: S608
        f"open_interest, batch_id) SELECT d.day, m.org_id, c.product_id, c.contract, s.v, s.t, s.oi, %s "
        f"FROM {CAST_ONCE} s "
        f"JOIN {DAYS} d ON d.raw = s.trade_date JOIN {MEMBERS} m ON m.raw = s.member_number "
        f"JOIN {CONTRACTS} c ON c.product_raw = s.product_code AND c.contract_raw = s.contract "
        f"AND c.contract_ok AND c.product_id IS NOT NULL WHERE {NUMBERS_OK}",
        [batch_id],
    )
    return cursor.rowcount, replaced


def _errors(cursor: Any, calendar: Any) -> ErrorList:
    """The file's errors, worded by RowChecker. Steps aside when a row flagged here passes
    RowChecker (numbers this path reads more strictly, e.g. padded with spaces) or when the
    only problem is blank rows (the streaming path skips them)."""
    field_list = ", ".join(f"({flag})::int" for flag in FLAGS.values())
    cursor.execute(
        f"CREATE TEMPORARY TABLE {LINES} ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY ctid) AS line, "  # noqa: S608
        f"{', '.join(COLUMNS)} FROM {STAGING}"
    )
    cursor.execute(
        f"SELECT coalesce(sum({' + '.join(f'({flag})::int' for flag in FLAGS.values())}), 0) "  # noqa: S608
        f"FROM {LINES} s {JOINS} WHERE NOT ({BLANK})"
    )
    field_errors = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT s.line + 1, {', '.join(f's.{c}' for c in COLUMNS)}, {field_list} "  # noqa: S608
        f"FROM {LINES} s {JOINS} WHERE ({ANY_FLAG}) AND NOT ({BLANK}) ORDER BY s.line LIMIT {MAX_STORED_ERRORS}"
    )
    bad_rows = cursor.fetchall()
    key = "d.day, m.org_id, c.product_id, c.contract"
    duplicates_sql = (
        f"FROM (SELECT s.line + 1 AS line, min(s.line + 1) OVER (PARTITION BY {key}) AS first "  # noqa: S608
        f"FROM {LINES} s {JOINS} WHERE NOT ({ANY_FLAG})) x WHERE x.line > x.first"
    )
    cursor.execute(f"SELECT count(*) {duplicates_sql}")
    duplicate_count = cursor.fetchone()[0]
    cursor.execute(f"SELECT line, first {duplicates_sql} ORDER BY line LIMIT {MAX_STORED_ERRORS}")
    duplicates = cursor.fetchall()

    checker = RowChecker(calendar)
    identity = list(range(len(COLUMNS)))
    found: list[tuple[int, int, str, str]] = []
    width = len(COLUMNS)
    for row in bad_rows:
        line, cells, flags = row[0], ["" if v is None else v for v in row[1 : 1 + width]], row[1 + width :]
        row_errors = ErrorList()
        if checker.check(line, cells, identity, row_errors) is not None or row_errors.count != sum(flags):
            raise _StepAside  # this path and RowChecker disagree on the row: let RowChecker decide
        found.extend((e.line, order, e.field, e.message) for order, e in enumerate(row_errors.items))
    for line, first in duplicates:
        found.append((line, 0, "", _(DUPLICATE_MESSAGE) % {"line": first}))
    if not found:
        raise _StepAside
    errors = ErrorList()
    for line, _order, field_name, message in sorted(found)[:MAX_STORED_ERRORS]:
        errors.add(line, field_name, message)
    errors.count = field_errors + duplicate_count
    return errors


def import_csv(opener: Opener, calendar: Any, batch_id: int) -> Loaded | None:
    """Import a CSV inside the caller's transaction; None when the streaming path must decide.

    Raises ImportRejected (nothing written) when the file has bad rows.
    """
    from huifu.tradingdata.models import DailyMemberStat

    table = DailyMemberStat._meta.db_table
    try:
        names = _read_header(opener)
        with transaction.atomic(), connection.cursor() as cursor:  # stepping aside undoes everything
            for temp in TEMP_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} ({', '.join(f'{c} text' for c in COLUMNS)}) ON COMMIT DROP"
            )
            rows, lines = _copy_file(cursor, opener, names)
            if rows == 0:
                raise _StepAside  # "header but no data rows": worded by the streaming path
            days = _lookups(cursor, calendar)
            # The lookups are tiny and the staging table unanalysed: hash joins, never nested loops.
            cursor.execute("SELECT current_setting('enable_nestloop'), set_config('enable_nestloop', 'off', true)")
            nestloop = cursor.fetchone()[0]
            try:
                with transaction.atomic():
                    imported, replaced = _load(cursor, table, batch_id)
                    if imported != rows:
                        raise _Incomplete
            except (DatabaseError, _Incomplete):
                if lines != rows + 1:
                    raise _StepAside from None  # values spanning lines: row numbers are not file lines
                raise ImportRejected(_errors(cursor, calendar), rows_read=rows) from None
            cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [nestloop])
            for temp in TEMP_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    except _StepAside:
        return None
    return Loaded(rows_read=imported, imported=imported, replaced=replaced, dates=days)
