"""Generated documents are never kept by browsers or proxies: Cache-Control private, no-store."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from huifu.core.middleware import PrivateDocumentsMiddleware
from huifu.core.testing.auth import login

PRIVATE = "private, no-store"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/pdf",
        "text/calendar; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
)
def test_every_document_kind_is_private(content_type):
    middleware = PrivateDocumentsMiddleware(lambda request: HttpResponse(b"x", content_type=content_type))
    assert middleware(RequestFactory().get("/x"))["Cache-Control"] == PRIVATE


def test_any_attachment_is_private_and_pages_are_left_alone():
    def attachment(request):
        response = HttpResponse(b"a,b", content_type="text/plain")
        response["Content-Disposition"] = 'attachment; filename="x.txt"'
        return response

    assert PrivateDocumentsMiddleware(attachment)(RequestFactory().get("/x"))["Cache-Control"] == PRIVATE
    page = PrivateDocumentsMiddleware(lambda request: HttpResponse("<p>hi</p>"))(RequestFactory().get("/"))
    assert "Cache-Control" not in page


def test_excel_report_download_is_private(client, coordinator):
    login(client, coordinator)
    response = client.get(reverse("servicedesk:report_export"))
    assert response.status_code == 200 and response["Cache-Control"] == PRIVATE


def test_word_form_download_is_private(client, member_a_admin):
    login(client, member_a_admin)
    response = client.get(reverse("intake:form_download"), {"prefill": "1"})
    assert response.status_code == 200 and response["Cache-Control"] == PRIVATE
