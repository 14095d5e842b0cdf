"""Importing the exchange's public daily member-ranking file ``pm{YYYYMMDD}.dat`` (JSON).

The traps (see /work/shared/formats/shfe-member-ranking.md and README.md) and how each is met:

* ``o_code`` is ``0`` (int) in old files and ``"0000"`` in new ones: both mean success;
  anything else rejects the file with ``o_msg``.
* ``report_date`` is missing in some old files: the date comes from the file name
  ``pm{YYYYMMDD}.dat``; when both are present they must agree. It must be a trading day.
* Old files pad ``INSTRUMENTID``, ``PRODUCTNAME`` and names with spaces: every text is trimmed;
  contracts are lower-cased.
* A value may be an empty string (or absent / null): stored as NULL, never as 0.
* ``RANK`` 1–20 are member rows, 999 the contract total, 0 and -1 aggregates by member
  category (``cuall``); any other rank is an error.
* The three rankings of a row are independent: stored side by side as published, never joined.
* Until 2019-12-31 figures count both sides: rows get ``double_counted`` and
  ``RankingRow.one_side()`` halves them (documented rule: one-sided = published / 2).

A file is a few hundred kilobytes (top 20 members of the contracts above the thresholds), so it
is parsed whole; re-importing a date replaces that date's rows.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

from huifu.tradingdata.models import ONE_SIDED_FROM, RankingRowKind

from .common import ErrorList, ImportRejected

FILE_NAME_RE = re.compile(r"pm(\d{8})\.dat$", re.IGNORECASE)
OK_CODES = {0, "0", "0000"}
MEMBER_RANKS = range(1, 21)
TOTAL_RANK = 999
AGGREGATE_RANKS = {0, -1}
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ParsedRanking:
    report_date: datetime.date
    rows: list[dict[str, Any]]


def _text(value: Any, limit: int) -> str:
    if value is None:
        return ""
    return str(value).strip()[:limit]


def _int(value: Any) -> tuple[int | None, bool]:
    """(value, ok): empty strings and null are (None, True)."""
    if value is None:
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int):
        return value, True
    if isinstance(value, float) and value.is_integer():
        return int(value), True
    text = str(value).strip().replace(",", "")
    if text == "":
        return None, True
    try:
        return int(text), True
    except ValueError:
        return None, False


def _date_from_name(name: str) -> datetime.date | None:
    match = FILE_NAME_RE.search(name or "")
    if not match:
        return None
    try:
        return datetime.datetime.strptime(match.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def _reject(message: str, line: int = 0, field: str = "") -> ImportRejected:
    errors = ErrorList()
    errors.add(line, field, message)
    return ImportRejected(errors)


def parse(file: IO[bytes], name: str, calendar: Any) -> ParsedRanking:
    """Parse and check a ranking file; raise ImportRejected listing every bad row."""
    file.seek(0)
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _reject(_("A ranking file is at most 20 MB; this one is larger."))
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _reject(_("The ranking file is not UTF-8 text.")) from None
    except json.JSONDecodeError as exc:
        raise _reject(
            _("The ranking file is not valid JSON: %(error)s") % {"error": exc.msg}, line=exc.lineno
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("o_cursor"), list):
        raise _reject(_("The ranking file has no “o_cursor” list of rows."), field="o_cursor")
    code = payload.get("o_code")
    if (code.strip() if isinstance(code, str) else code) not in OK_CODES:
        raise _reject(
            _("The file reports an error (o_code %(code)s): %(msg)s")
            % {"code": code, "msg": _text(payload.get("o_msg"), 200)},
            field="o_code",
        )
    report_date = _report_date(payload, name)
    if not calendar.is_trading_day(report_date):
        raise _reject(_("%(date)s is not a trading day.") % {"date": report_date.isoformat()}, field="report_date")
    double_counted = report_date < ONE_SIDED_FROM
    errors = ErrorList()
    rows: list[dict[str, Any]] = []
    for line, raw in enumerate(payload["o_cursor"], start=1):
        row = _row(raw, line, errors)
        if row is not None:
            row["double_counted"] = double_counted
            rows.append(row)
    if errors:
        raise ImportRejected(errors, rows_read=len(payload["o_cursor"]))
    if not rows:
        raise _reject(_("The ranking file has no rows."), field="o_cursor")
    return ParsedRanking(report_date=report_date, rows=rows)


def _report_date(payload: dict[str, Any], name: str) -> datetime.date:
    from_name = _date_from_name(name)
    raw = _text(payload.get("report_date"), 20)
    from_payload = None
    if raw:
        try:
            from_payload = datetime.datetime.strptime(raw, "%Y%m%d").date()
        except ValueError:
            raise _reject(
                _("“report_date” %(value)s is not a date written YYYYMMDD.") % {"value": raw}, field="report_date"
            ) from None
    if from_payload and from_name and from_payload != from_name:
        raise _reject(
            _("The file is named for %(name)s but reports %(date)s.")
            % {"name": from_name.isoformat(), "date": from_payload.isoformat()},
            field="report_date",
        )
    day = from_payload or from_name
    if day is None:
        raise _reject(
            _("The file has no “report_date” and its name is not pmYYYYMMDD.dat: the date is unknown."),
            field="report_date",
        )
    return day


RANKINGS = (
    ("1", "volume_member_id", "volume_member_abbr", "volume", "volume_change"),
    ("2", "long_member_id", "long_member_abbr", "long_oi", "long_oi_change"),
    ("3", "short_member_id", "short_member_abbr", "short_oi", "short_oi_change"),
)


def _row(raw: Any, line: int, errors: ErrorList) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        errors.add(line, "", _("The row is not an object."))
        return None
    ok = True
    contract = _text(raw.get("INSTRUMENTID"), 24).lower()
    if not contract:
        errors.add(line, "INSTRUMENTID", _("The contract (INSTRUMENTID) is empty."))
        ok = False
    rank, rank_ok = _int(raw.get("RANK"))
    if not rank_ok or rank is None:
        errors.add(line, "RANK", _("The rank “%(value)s” is not a number.") % {"value": _text(raw.get("RANK"), 20)})
        return None
    if rank in MEMBER_RANKS:
        kind = RankingRowKind.MEMBER
    elif rank == TOTAL_RANK:
        kind = RankingRowKind.TOTAL
    elif rank in AGGREGATE_RANKS:
        kind = RankingRowKind.AGGREGATE
    else:
        errors.add(line, "RANK", _("Rank %(rank)s is not 1–20, 999, 0 or -1.") % {"rank": rank})
        return None
    sort_no, sort_ok = _int(raw.get("PRODUCTSORTNO"))
    if not sort_ok:
        errors.add(line, "PRODUCTSORTNO", _("The product sort order is not a number."))
        ok = False
    row: dict[str, Any] = {
        "line": line,
        "contract": contract,
        "rank": rank,
        "kind": kind,
        "product_name": _text(raw.get("PRODUCTNAME"), 60),
        "product_sort_no": sort_no,
    }
    for suffix, id_field, abbr_field, value_field, change_field in RANKINGS:
        row[id_field] = _text(raw.get(f"PARTICIPANTID{suffix}"), 16)
        row[abbr_field] = _text(raw.get(f"PARTICIPANTABBR{suffix}"), 60)
        for source, target in ((f"CJ{suffix}", value_field), (f"CJ{suffix}_CHG", change_field)):
            value, value_ok = _int(raw.get(source))
            if not value_ok:
                errors.add(
                    line, source, _("“%(value)s” is not a number of lots.") % {"value": _text(raw.get(source), 30)}
                )
                ok = False
            row[target] = value
        if row[value_field] is not None and row[value_field] < 0:
            errors.add(line, f"CJ{suffix}", _("A number of lots cannot be negative."))
            ok = False
    return row if ok else None
