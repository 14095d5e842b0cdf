"""During a database outage /healthz answers 503 even with a session cookie, the API answers its
JSON envelope (503 service_unavailable; 500 server_error for anything else, e.g. storage), and
pages answer the static 503 page. Before: 500, and the HTML error page on the API."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client

from huifu.core.testing.auth import login


@pytest.fixture
def logged_in(coordinator):
    return login(Client(raise_request_exception=False), coordinator)


def _database_down():
    return mock.patch.multiple(
        "django.contrib.sessions.backends.db.SessionStore",
        load=mock.Mock(side_effect=OperationalError("could not connect to server")),
    )


def test_healthz_answers_503_with_a_session_cookie(logged_in):
    with _database_down(), mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("down")):
        response = logged_in.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_is_not_redirected_to_https(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200


def test_api_answers_the_json_envelope_503_when_the_database_is_down(logged_in):
    with _database_down():
        response = logged_in.get("/api/v1/notices/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response["Retry-After"] == "30"


def test_api_answers_the_json_envelope_when_storage_fails(logged_in, coordinator):
    from huifu.notices.services import notice_attachment_add, notice_create_draft
    from huifu.notices.tests.conftest import pdf_upload

    draft = notice_create_draft(actor=coordinator, title="附件", body="正文")
    stored = notice_attachment_add(actor=coordinator, notice=draft, upload=pdf_upload()).file
    with mock.patch("django.core.files.storage.FileSystemStorage.open", side_effect=OSError(5, "Input/output error")):
        response = logged_in.get(f"/api/v1/files/{stored.pk}/")
    # A failing file store is the server's fault, never a 404 and never the HTML page: 500
    # ``server_error``, or 503 ``service_unavailable`` where the store is known to be down.
    assert response.status_code in (500, 503)
    assert response["Content-Type"].startswith("application/json")
    code = response.json()["error"]["code"]
    assert code == "server_error" if response.status_code == 500 else code.endswith("_unavailable")


def test_pages_answer_the_503_page_when_the_database_is_down(logged_in):
    with _database_down():
        response = logged_in.get("/")
    assert response.status_code == 503
    assert "503" in response.content.decode()
