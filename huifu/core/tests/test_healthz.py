"""/healthz: 200 when the database answers, 503 when it does not, and recovery by itself after
PostgreSQL drops the app's connection (CONN_HEALTH_CHECKS)."""

from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

URL = reverse("healthz")


def test_ok_with_database(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "vendor": connection.vendor,
        "storage": "ok",
        "broker": "not used",
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_503_when_database_cannot_be_reached(client, db):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("connection refused")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "detail": "OperationalError"}


def test_only_get(client, db):
    assert client.post(URL).status_code == 405


@pytest.fixture
def second_connection(transactional_db):
    """A separate connection to the test database, on PostgreSQL; None on SQLite (one in-memory db)."""
    if connection.vendor != "postgresql":
        yield None
        return
    other = connections.create_connection("default")
    try:
        yield other
    finally:
        other.close()


def _backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_recovers_after_server_side_disconnect(client, second_connection):
    if second_connection is None:
        # SQLite cannot be disconnected from outside; the check is the plain one there.
        assert connection.vendor == "sqlite"
        assert client.get(URL).status_code == 200
        return
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert client.get(URL).status_code == 200
    old_pid = _backend_pid()
    with second_connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [old_pid])
        assert cursor.fetchone()[0] is True

    response = client.get(URL)

    assert response.status_code == 200, response.content
    assert response.json()["database"] == "ok"
    assert _backend_pid() != old_pid  # a fresh connection replaced the killed one


def test_degraded_not_failed_when_only_the_job_broker_is_down(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "huifu.core.rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["broker"].startswith("unavailable")


def test_503_when_the_file_store_fails(client, db):
    with mock.patch("django.core.files.storage.FileSystemStorage.save", side_effect=OSError(28, "No space left")):
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["status"] == "error" and "No space left" in response.json()["storage"]
