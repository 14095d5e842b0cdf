"""A correction file cannot silently empty a day: replacing more rows than the file brings asks
first (naming days, members, rows); the "correct rows" mode touches only the rows given. Import
messages say why a date has no trading."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from huifu.core.testing.auth import login
from huifu.tradingdata.models import DailyMemberStat, ImportBatch, ImportMode, ImportStatus

from .conftest import csv_bytes, run_csv

DAY = [
    "2024-03-07,0101,cu,cu2404,120,4200000.50,300",
    "2024-03-07,0101,al,al2404,10,950000,20",
    "2024-03-07,0202,cu,cu2404,80,2800000,150",
    "2024-03-07,0202,al,al2404,30,1000000,40",
]
CORRECTION = "2024-03-07,0101,cu,cu2404,125,4375000.50,300"


def test_a_one_row_file_asks_before_replacing_a_whole_day(data_world):
    run_csv(csv_bytes(*DAY))
    batches = ImportBatch.objects.count()
    with pytest.raises(ValidationError) as asked:
        run_csv(csv_bytes(CORRECTION))
    error = asked.value.error_dict["confirm_replace"][0]
    assert error.code == "replaces_more"
    text = " ".join(asked.value.messages)
    assert "1 rows but would replace 4 stored rows" in text or "只有 1 行，却会替换已存的 4 行" in text
    assert "2024-03-07" in text and data_world["org_b"].name_zh in text  # the member that would lose rows
    assert DailyMemberStat.objects.count() == 4  # nothing changed, no batch recorded
    assert ImportBatch.objects.count() == batches


def test_correct_rows_mode_replaces_only_the_rows_given(data_world):
    run_csv(csv_bytes(*DAY))
    batch = run_csv(csv_bytes(CORRECTION), mode=ImportMode.CORRECT_ROWS)
    assert batch.status == ImportStatus.IMPORTED and batch.mode == ImportMode.CORRECT_ROWS
    assert (batch.rows_imported, batch.rows_replaced) == (1, 1)
    assert DailyMemberStat.objects.count() == 4
    assert DailyMemberStat.objects.get(organisation=data_world["org_a"], contract="cu2404").volume == 125
    assert DailyMemberStat.objects.get(organisation=data_world["org_b"], contract="al2404").volume == 30


def test_a_confirmed_replacement_replaces_the_day(data_world):
    run_csv(csv_bytes(*DAY))
    batch = run_csv(csv_bytes(CORRECTION), confirm_replace=True)
    assert (batch.rows_imported, batch.rows_replaced) == (1, 4)
    assert DailyMemberStat.objects.count() == 1


def test_the_page_asks_and_the_correction_mode_works(client, data_world, coordinator):
    run_csv(csv_bytes(*DAY))
    login(client, coordinator)

    def upload(**extra):
        data = io.BytesIO(csv_bytes(CORRECTION))
        data.name = "fix.csv"
        return client.post(reverse("tradingdata:overview"), {"file": data, **extra})

    asked = upload(mode="replace_days")
    assert asked.status_code == 200
    assert "2024-03-07" in asked.content.decode() and DailyMemberStat.objects.count() == 4
    done = upload(mode="correct_rows")
    assert done.status_code == 302
    assert DailyMemberStat.objects.count() == 4
    assert DailyMemberStat.objects.get(organisation=data_world["org_a"], contract="cu2404").volume == 125


def test_the_command_needs_a_flag_to_empty_a_day(data_world, tmp_path):
    run_csv(csv_bytes(*DAY))
    path = tmp_path / "fix.csv"
    path.write_bytes(csv_bytes(CORRECTION))
    with pytest.raises(CommandError):
        call_command("tradingdata_import", str(path), stdout=io.StringIO())
    call_command("tradingdata_import", str(path), "--correct-rows", stdout=io.StringIO())
    assert DailyMemberStat.objects.count() == 4


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2024-02-18", "2024-02-18 是调休上班日，交易所不交易"),
        ("2024-02-09", "2024-02-09 为交易所休市日"),
        ("2024-02-12", "2024-02-12 是法定节假日"),
        ("2024-03-09", "2024-03-09 是周末"),
    ],
)
def test_import_messages_say_why_a_day_does_not_trade(data_world, day, message):
    with translation.override("zh-hans"):
        batch = run_csv(csv_bytes(f"{day},0101,cu,cu2404,1,1.00,1"))
    assert batch.status == ImportStatus.REJECTED
    assert message in batch.errors[0]["message"]
