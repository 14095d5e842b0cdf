"""A replayed submission (same Idempotency-Key) answers 200 with the first form and keeps
nothing of its own, also when it races the first request: before, a replay that passed the
early check while the first request was still running got a second 201 and left its seal scan
stored (row and file) although no form used it."""

from __future__ import annotations

import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client

from huifu.core.testing.auth import login
from huifu.files.management.commands.files_check import stored_names
from huifu.files.models import StoredFile
from huifu.servicedesk import api as servicedesk_api
from huifu.servicedesk.models import FeedbackForm

from .conftest import seal_upload

URL = "/api/v1/feedback/forms/"


def form_data(**overrides):
    data = {
        "contact_name": "张联系",
        "phone": "021-68400000",
        "email": "contact@alpha.example",
        "form_date": "2024-03-01",
        "suggestions": ["建议扩大铜期货交割库容"],
        "help_requests": ["希望协助解决测试环境问题"],
        "seal_scan": seal_upload(),
    }
    data.update(overrides)
    return data


@pytest.fixture
def own_storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _blobs() -> set[str]:
    return set(stored_names(default_storage, "files")) if default_storage.exists("files") else set()


def test_a_replay_that_raced_the_first_request_answers_200_and_stores_nothing(
    transactional_db, official_calendar, member_a_admin, own_storage, monkeypatch
):
    client = login(Client(), member_a_admin)
    first = client.post(URL, data=form_data(), HTTP_IDEMPOTENCY_KEY="race-1")
    assert first.status_code == 201, first.content
    files, blobs = set(StoredFile.objects.values_list("pk", flat=True)), _blobs()

    class NotYetCommitted:
        """The replay's early check ran while the first request had not committed yet."""

        class objects:  # noqa: N801 - stands in for the model's manager
            @staticmethod
            def filter(**kwargs):
                return FeedbackForm.objects.none()

    monkeypatch.setattr(servicedesk_api, "FeedbackForm", NotYetCommitted)
    again = client.post(URL, data=form_data(), HTTP_IDEMPOTENCY_KEY="race-1")
    monkeypatch.undo()

    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert FeedbackForm.objects.count() == 1
    assert set(StoredFile.objects.values_list("pk", flat=True)) == files  # the replay's seal row rolled back
    assert _blobs() == blobs  # and its file went with it


def test_a_plain_replay_answers_200_and_stores_nothing(
    transactional_db, official_calendar, member_a_admin, own_storage
):
    client = login(Client(), member_a_admin)
    first = client.post(URL, data=form_data(), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201, first.content
    files, blobs = StoredFile.objects.count(), _blobs()
    again = client.post(URL, data=form_data(), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert StoredFile.objects.count() == files == 1 and _blobs() == blobs


def test_a_refused_submission_keeps_no_seal_scan(transactional_db, official_calendar, member_a_admin, own_storage):
    client = login(Client(), member_a_admin)
    response = client.post(URL, data=form_data(suggestions=[], help_requests=[]), HTTP_IDEMPOTENCY_KEY="bad-1")
    assert response.status_code == 400, response.content
    assert not FeedbackForm.objects.exists() and not StoredFile.objects.exists() and _blobs() == set()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_replays_create_one_form_and_one_seal(
    official_calendar, member_a_admin, member_a_contact, own_storage
):
    if connection.vendor != "postgresql":
        pytest.skip("needs two real database connections (PostgreSQL)")
    n = 4
    barrier = threading.Barrier(n)
    statuses: list[int] = []
    ids: list[int] = []
    errors: list[BaseException] = []
    clients = [login(Client(), member_a_admin if i % 2 else member_a_contact) for i in range(n)]

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[i].post(URL, data=form_data(), HTTP_IDEMPOTENCY_KEY="same-key")
            statuses.append(response.status_code)
            ids.append(response.json()["id"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sorted(statuses) == [200] * (n - 1) + [201]
    assert len(set(ids)) == 1 and FeedbackForm.objects.count() == 1
    assert StoredFile.objects.count() == 1 and len(_blobs()) == 1
