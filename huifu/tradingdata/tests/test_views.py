import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huifu.core.testing.access import assert_allowed, assert_constant_queries, assert_denied
from huifu.core.testing.auth import login
from huifu.tradingdata.models import DailyMemberStat, ExchangeClosure, ImportBatch

from .conftest import csv_bytes, run_csv

pytestmark = pytest.mark.usefixtures("data_world")


def test_permission_matrix(
    client, coordinator, dept_staff, finance_user, member_a_admin, partner_user, regulator, public_user
):
    batch = run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,1,1,1"))
    pages = [
        reverse("tradingdata:overview"),
        reverse("tradingdata:closures"),
        reverse("tradingdata:batch_detail", args=[batch.pk]),
        "/api/v1/tradingdata/batches/",
    ]
    for user in (coordinator, dept_staff, finance_user):
        for url in pages:
            assert_allowed(client, user, url)
    for user in (None, member_a_admin, partner_user, regulator, public_user):
        for url in pages:
            assert_denied(client, user, url)


def test_upload_csv_and_denied_upload_changes_nothing(client, dept_staff, member_a_admin, finance_user):
    data = csv_bytes("2024-03-07,0101,cu,cu2404,1,1,1")
    assert_denied(
        client,
        member_a_admin,
        reverse("tradingdata:overview"),
        method="post",
        data={"file": SimpleUploadedFile("s.csv", data)},
    )
    assert ImportBatch.objects.count() == 0
    login(client, dept_staff)
    response = client.post(reverse("tradingdata:overview"), {"file": SimpleUploadedFile("s.csv", data)})
    assert response.status_code == 302
    assert DailyMemberStat.objects.count() == 1
    bad = client.post(reverse("tradingdata:overview"), {"file": SimpleUploadedFile("s.pdf", b"%PDF-1.4")})
    assert bad.status_code == 200 and ImportBatch.objects.count() == 1


def test_closures_only_coordinator_edits(client, coordinator, dept_staff):
    assert_denied(
        client, dept_staff, reverse("tradingdata:closures"), method="post", data={"day": "2024-03-12", "reason": "x"}
    )
    assert not ExchangeClosure.objects.filter(day="2024-03-12").exists()
    login(client, coordinator)
    client.post(reverse("tradingdata:closures"), {"day": "2024-03-12", "reason": "台风"})
    assert ExchangeClosure.objects.filter(day="2024-03-12").exists()
    weekend = client.post(reverse("tradingdata:closures"), {"day": "2024-03-09", "reason": "x"})
    assert weekend.status_code == 200 and not ExchangeClosure.objects.filter(day="2024-03-09").exists()
    run_csv(csv_bytes("2024-03-13,0101,cu,cu2404,1,1,1"))
    client.post(reverse("tradingdata:closures"), {"day": "2024-03-13", "reason": "x"})
    assert not ExchangeClosure.objects.filter(day="2024-03-13").exists()  # has data


def test_batch_list_constant_queries(client, coordinator):
    run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,1,1,1"), actor=coordinator)
    login(client, coordinator)
    assert_constant_queries(
        client,
        reverse("tradingdata:overview"),
        lambda: [run_csv(csv_bytes("2024-03-07,0101,cu,cu2404,1,1,1"), actor=coordinator) for _ in range(3)],
    )
