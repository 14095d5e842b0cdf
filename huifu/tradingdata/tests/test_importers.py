import io
from decimal import Decimal

from openpyxl import Workbook

from huifu.tradingdata.models import DailyMemberStat, ImportStatus, RankingRow, RankingRowKind
from huifu.tradingdata.services import import_daily_file

from .conftest import csv_bytes, ranking_bytes, run_csv, run_ranking

GOOD = [
    "2024-03-07,0101,cu,cu2404,120,4200000.50,300",
    "2024-03-07,0202,cu,cu2404,80,2800000,150",
    "2024-03-08,0101,al,al2404,10,950000,20",
    "2024-03-08,0101,cu_o,cu2404c70000,4,1200.5,2",
]


def test_good_file_imports_every_row(data_world, coordinator):
    batch = run_csv(csv_bytes(*GOOD), actor=coordinator)
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    assert (batch.rows_imported, batch.rows_replaced, batch.day_count) == (4, 0, 2)
    row = DailyMemberStat.objects.get(organisation=data_world["org_a"], contract="cu2404")
    assert (row.volume, row.turnover, row.open_interest) == (120, Decimal("4200000.50"), 300)
    assert row.batch_id == batch.pk


def test_reimport_replaces_the_days_in_the_file_and_never_duplicates(data_world):
    run_csv(csv_bytes(*GOOD))
    run_csv(csv_bytes(*GOOD))
    assert DailyMemberStat.objects.count() == 4
    # A corrected file for 2024-03-07 only, confirmed: that day is replaced, 2024-03-08 untouched.
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,999,1.00,1"), confirm_replace=True)
    assert (batch.rows_imported, batch.rows_replaced) == (1, 2)
    assert DailyMemberStat.objects.filter(trade_date="2024-03-07").count() == 1
    assert DailyMemberStat.objects.get(trade_date="2024-03-07").volume == 999
    assert DailyMemberStat.objects.filter(trade_date="2024-03-08").count() == 2


def test_columns_may_come_in_any_order_with_bom_and_blank_lines(data_world):
    data = "\ufeffcontract,trade_date,member_number,product_code,volume,turnover,open_interest\n"
    data += "cu2404,2024-03-07,101,CU,1,2,3\n\n"
    batch = run_csv(data.encode())
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    assert DailyMemberStat.objects.get().organisation == data_world["org_a"]  # 101 -> 0101 (Excel drops zeros)


def _errors(batch):
    return [(e["line"], e["field"]) for e in batch.errors]


def test_bad_rows_reject_the_whole_file_with_line_numbers(data_world):
    run_csv(csv_bytes(*GOOD))
    batch = run_csv(
        csv_bytes(
            "2024-03-07,0101,cu,cu2404,1,1,1",  # line 2: fine
            "2024-03-07,0101,cu,cu2404,2,2,2",  # line 3: duplicate of line 2
            "2024-03-07,9999,cu,cu2405,1,1,1",  # line 4: unknown member
            "2024-03-07,0101,xx,xx2405,1,1,1",  # line 5: unknown product
            "2024-03-07,0101,cu,cu2406,1.5,abc,-1",  # line 6: bad numbers
            "2024-03-09,0101,cu,cu2406,1,1,1",  # line 7: Saturday
            "2024-02-09,0101,cu,cu2406,1,1,1",  # line 8: closure
            "2024-13-01,0101,cu,cu2406,1,1,1",  # line 9: not a date
            "2024-03-07,0101,cu,al2406,1,1,1",  # line 10: contract of another product
            "2024-03-07,0101,cu,cu2407,1,1",  # line 11: wrong column count
            "2024-03-07,0101,cu,cu2408,1,1.234,1",  # line 12: three decimals
        )
    )
    assert batch.status == ImportStatus.REJECTED
    assert _errors(batch) == [
        (3, ""),
        (4, "member_number"),
        (5, "product_code"),
        (6, "volume"),
        (6, "open_interest"),
        (6, "turnover"),
        (7, "trade_date"),
        (8, "trade_date"),
        (9, "trade_date"),
        (10, "contract"),
        (11, ""),
        (12, "turnover"),
    ]
    assert "line 2" in batch.errors[0]["message"] or "第 2 行" in batch.errors[0]["message"]
    assert "weekend day" in batch.errors[6]["message"] or "是周末，交易所不交易" in batch.errors[6]["message"]
    assert batch.rows_imported == 0 and batch.error_count == 12
    # Nothing half-imported: the earlier data for 2024-03-07 is untouched.
    assert DailyMemberStat.objects.count() == 4
    assert DailyMemberStat.objects.get(organisation=data_world["org_a"], contract="cu2404").volume == 120


def test_wrong_header_is_reported_once(data_world):
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,1,1", header="date,member,product,contract,vol,oi"))
    assert batch.status == ImportStatus.REJECTED
    assert batch.error_count == 1 and batch.errors[0]["line"] == 1
    assert "trade_date" in batch.errors[0]["message"]


def test_duplicates_far_apart_are_caught_by_the_database(data_world):
    batch = run_csv(
        csv_bytes(
            "2024-03-07,0101,cu,cu2404,1,1,1",
            "2024-03-08,0101,cu,cu2404,1,1,1",
            "2024-03-07,0101,cu,cu2404,5,5,5",  # same key as line 2, not adjacent
        )
    )
    assert batch.status == ImportStatus.REJECTED
    assert _errors(batch) == [(4, "")]
    assert DailyMemberStat.objects.count() == 0


def test_empty_and_non_utf8_files(data_world):
    assert run_csv(b"").status == ImportStatus.REJECTED
    assert run_csv(csv_bytes()).status == ImportStatus.REJECTED
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,1,1,1").replace(b"cu2404", "铜".encode("gbk")))
    assert batch.status == ImportStatus.REJECTED


def test_xlsx_import(data_world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["trade_date", "member_number", "product_code", "contract", "volume", "turnover", "open_interest"])
    import datetime

    sheet.append([datetime.datetime(2024, 3, 7), 101, "cu", "cu2404", 12, 3456.78, 9])
    sheet.append(["2024-03-07", "0202", "cu", "cu2404", 1.0, 10, 0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = import_daily_file(opener=lambda: buffer, file_format="xlsx", original_name="s.xlsx", actor=None)
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    assert DailyMemberStat.objects.get(organisation=data_world["org_a"]).turnover == Decimal("3456.78")


# --- ranking file ------------------------------------------------------------------------------------


def _rank_row(rank, contract="cu2404", **values):
    row = {
        "INSTRUMENTID": contract,
        "PRODUCTSORTNO": 10,
        "RANK": rank,
        "PRODUCTNAME": "铜",
        "PARTICIPANTID1": "0101",
        "PARTICIPANTABBR1": "甲期货",
        "CJ1": 1000,
        "CJ1_CHG": 10,
        "PARTICIPANTID2": "0202",
        "PARTICIPANTABBR2": "乙期货",
        "CJ2": 500,
        "CJ2_CHG": -5,
        "PARTICIPANTID3": "0303",
        "PARTICIPANTABBR3": "丙期货",
        "CJ3": 400,
        "CJ3_CHG": "",
    }
    row.update(values)
    return row


def test_ranking_file_keeps_three_independent_rankings(data_world):
    batch = run_ranking(
        ranking_bytes(
            [
                _rank_row(1),
                _rank_row(999, PARTICIPANTID1="", CJ1=90000),
                _rank_row(-1, contract="cuall"),
                _rank_row(0, contract="cuall"),
            ]
        )
    )
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    row = RankingRow.objects.get(rank=1)
    assert (row.volume_member_id, row.long_member_id, row.short_member_id) == ("0101", "0202", "0303")
    assert row.short_oi_change is None  # an empty string is "no value", not 0
    assert not row.double_counted and row.one_side(row.volume) == Decimal(1000)
    assert RankingRow.objects.get(rank=999).kind == RankingRowKind.TOTAL
    assert RankingRow.objects.filter(kind=RankingRowKind.AGGREGATE).count() == 2
    # Re-import replaces the date.
    run_ranking(ranking_bytes([_rank_row(1)]))
    assert RankingRow.objects.count() == 1


def test_old_ranking_file_traps(data_world):
    old = _rank_row(1, contract="  CU1912  ", PRODUCTNAME="铜          ", RANK="1", CJ1=" 2001 ", CJ2="")
    data = ranking_bytes([old], o_code=0, report_date=..., update_date=...)
    batch = run_ranking(data, name="pm20191202.dat")
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    row = RankingRow.objects.get()
    assert (row.contract, row.product_name, row.report_date.isoformat()) == ("cu1912", "铜", "2019-12-02")
    assert row.double_counted and row.volume == 2001 and row.one_side(row.volume) == Decimal("1000.5")
    assert row.long_oi is None


def test_bad_ranking_files(data_world):
    assert run_ranking(ranking_bytes([_rank_row(1)], o_code="1001", o_msg="error")).errors[0]["field"] == "o_code"
    no_date = ranking_bytes([_rank_row(1)], report_date=...)
    assert run_ranking(no_date, name="ranking.dat").status == ImportStatus.REJECTED
    assert run_ranking(ranking_bytes([_rank_row(1)]), name="pm20240308.dat").status == ImportStatus.REJECTED
    assert run_ranking(ranking_bytes([_rank_row(1)], report_date="20240309"), name="x.dat").status == "rejected"
    batch = run_ranking(ranking_bytes([_rank_row(1), _rank_row(25), _rank_row(2, CJ1="many")]))
    assert [(e["line"], e["field"]) for e in batch.errors] == [(2, "RANK"), (3, "CJ1")]
    assert run_ranking(b"{not json").status == ImportStatus.REJECTED
    assert RankingRow.objects.count() == 0


# --- PostgreSQL fast path (importers/daily_pg.py): same reports; on SQLite the streaming path ---------


def _server_path_only(monkeypatch):
    """On PostgreSQL a CSV must be decided by the server-side path: the streaming validator fails the test."""
    from django.db import connection

    from huifu.tradingdata.importers import daily

    if connection.vendor == "postgresql":

        def forbidden(*args, **kwargs):
            raise AssertionError("the streaming path ran")

        monkeypatch.setattr(daily, "validate", forbidden)


def test_server_path_reports_each_error_kind_with_line_numbers(data_world, monkeypatch):
    run_csv(csv_bytes(*GOOD))
    _server_path_only(monkeypatch)
    batch = run_csv(
        csv_bytes(
            "2024-03-08,0101,cu,cu2404,1,1,1",  # line 2: fine (other day)
            "2024-03-07,0101,cu,cu2404,1,1,1",  # line 3: fine
            "2024-03-07,0101,cu,cu2404,2,2,2",  # line 4: duplicate of line 3
            "2024-03-07,9999,cu,cu2405,1,1,1",  # line 5: unknown member
            "2024-03-07,0101,xx,xx2405,1,1,1",  # line 6: unknown product
            "2024-03-07,0101,cu,cu2406,1.5,abc,-1",  # line 7: bad numbers
            "2024-03-09,0101,cu,cu2406,1,1,1",  # line 8: Saturday
            "2024-02-09,0101,cu,cu2406,1,1,1",  # line 9: closure
            "2024-13-01,0101,cu,cu2406,1,1,1",  # line 10: not a date
            "2024-03-07,0101,cu,al2406,1,1,1",  # line 11: contract of another product
            "2024-03-07,0101,cu,cu2408,1,1.234,1",  # line 12: three decimals
        )
    )
    assert batch.status == ImportStatus.REJECTED
    assert _errors(batch) == [
        (4, ""),
        (5, "member_number"),
        (6, "product_code"),
        (7, "volume"),
        (7, "open_interest"),
        (7, "turnover"),
        (8, "trade_date"),
        (9, "trade_date"),
        (10, "trade_date"),
        (11, "contract"),
        (12, "turnover"),
    ]
    assert "3" in batch.errors[0]["message"]
    assert batch.error_count == 11 and batch.rows_imported == 0
    assert DailyMemberStat.objects.count() == 4  # nothing half-imported


def test_server_path_imports_and_replaces_with_padding_case_and_excel_zeros(data_world, monkeypatch):
    run_csv(csv_bytes(*GOOD))
    _server_path_only(monkeypatch)
    batch = run_csv(csv_bytes(" 2024-03-07 ,101,CU, CU2404 ,7,8.5,9", "2024-03-07,0202,cu_o,cu2404c70000,1,2,3"))
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    assert (batch.rows_imported, batch.rows_replaced, batch.day_count) == (2, 2, 1)
    row = DailyMemberStat.objects.get(trade_date="2024-03-07", organisation=data_world["org_a"])
    assert (row.contract, row.volume, row.turnover, row.open_interest) == ("cu2404", 7, Decimal("8.50"), 9)
    assert DailyMemberStat.objects.filter(trade_date="2024-03-08").count() == 2


def test_numbers_padded_with_spaces_are_accepted_like_the_streaming_path(data_world):
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2404, 7 , 8.5 , 9 "))
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    assert DailyMemberStat.objects.get().volume == 7


def test_server_path_rejects_numbers_the_casts_accept_but_the_rules_do_not(data_world, monkeypatch):
    _server_path_only(monkeypatch)
    cases = [
        ("+5", "1", "1", "volume"),
        ("-0", "1", "1", "volume"),
        ("0000000000000001", "1", "1", "volume"),  # 16 characters, value 1
        ("1", "1", "1e3", "open_interest"),
        ("1", "1e3", "1", "turnover"),
        ("1", "NaN", "1", "turnover"),
        ("1", "Infinity", "1", "turnover"),
        ("1", ".5", "1", "turnover"),
        ("1", "5.", "1", "turnover"),
        ("1", "1.500", "1", "turnover"),
        ("1", "+1.5", "1", "turnover"),
        ("1", "0000000000000000001", "1", "turnover"),  # 19 characters, value 1
        ("1", "1000000000000000000", "1", "turnover"),  # 19 digits
    ]
    rows = [f"2024-03-07,0101,cu,cu24{n:02d},{v},{t},{oi}" for n, (v, t, oi, _f) in enumerate(cases, start=1)]
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2400,1,1,1", *rows))
    assert batch.status == ImportStatus.REJECTED
    assert _errors(batch) == [(line, field) for line, (*_v, field) in enumerate(cases, start=3)]
    assert DailyMemberStat.objects.count() == 0


def test_numbers_with_leading_zeros_are_accepted_like_the_streaming_path(data_world):
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,007,000000000000000008.50,09"))
    assert batch.status == ImportStatus.IMPORTED, batch.errors
    row = DailyMemberStat.objects.get()
    assert (row.volume, row.turnover, row.open_interest) == (7, Decimal("8.50"), 9)
