"""The API keeps its contract: domain error codes reach the client in the one envelope, and the
OpenAPI schema declares what the API really answers (nullable fields, error responses, pages).
The full check against a running server is ``make contract`` (schemathesis)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from huifu.api.errors import domain_code
from huifu.core.testing.auth import login
from huifu.notices.models import AudienceKind
from huifu.notices.services import notice_create_draft, notice_publish

pytestmark = pytest.mark.django_db

ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture
def schema(client, coordinator):
    login(client, coordinator)
    return client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def _json_schema(response: dict) -> dict:
    return response["content"]["application/json"]["schema"]


# --- domain error codes -------------------------------------------------------------------------


def test_an_illegal_transition_keeps_its_code_in_the_envelope(client, coordinator):
    notice = notice_create_draft(
        actor=coordinator, title="关于节假日安排的通知", body="正文", audience_kind=AudienceKind.PUBLIC
    )
    notice_publish(actor=coordinator, notice=notice, notify=False)
    login(client, coordinator)
    response = client.post(f"/api/v1/notices/{notice.pk}/publish/")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert "已发布" in error["message"] or "published" in error["message"].lower()


def test_field_validation_stays_validation_error(client, coordinator):
    notice = notice_create_draft(actor=coordinator, title="通知", body="正文", audience_kind=AudienceKind.PUBLIC)
    notice_publish(actor=coordinator, notice=notice, notify=False)
    login(client, coordinator)
    response = client.post(f"/api/v1/notices/{notice.pk}/withdraw/", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "reason" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ValidationError("no", code="illegal_transition"), "illegal_transition"),
        (ValidationError({"amount": ValidationError("too much", code="pool_exhausted")}), "pool_exhausted"),
        (ValidationError("bad", code="invalid"), None),
        (ValidationError({"a": ValidationError("x", code="required")}), None),
        (ValidationError("no code"), None),
        (ValidationError([ValidationError("a", code="not_open"), ValidationError("b", code="not_draft")]), None),
    ],
)
def test_domain_code(error, code):
    assert domain_code(error) == code


def test_an_api_url_that_matches_no_route_answers_the_envelope(client, coordinator):
    login(client, coordinator)
    response = client.get("/api/v1/visits/null,null/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
    assert "text/html" in client.get("/no-such-page/")["Content-Type"]


# --- the schema ----------------------------------------------------------------------------------


def test_every_operation_declares_the_error_envelope(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            for code in ("401", "403", "429"):
                assert _json_schema(responses[code]) == ERROR_REF, (method, path, code)
            if "{" in path:
                assert _json_schema(responses["404"]) == ERROR_REF, (method, path)
            if method in ("post", "put", "patch"):
                assert _json_schema(responses["400"]) == ERROR_REF, (method, path)


def test_me_declares_nullable_and_blank_fields(schema):
    me = schema["components"]["schemas"]["UserOut"]["properties"]
    assert me["department"].get("nullable") is True
    assert me["organisation"].get("nullable") is True
    role = me["org_role"]
    assert "" in str(role) and "BlankEnum" in str(role)


def _page_properties(schema, path: str) -> set[str]:
    ok = _json_schema(schema["paths"][path]["get"]["responses"]["200"])
    return set(schema["components"]["schemas"][ok["$ref"].rsplit("/", 1)[1]]["properties"])


def test_paginated_lists_are_declared_as_pages(schema):
    for path in ("/api/v1/notices/", "/api/v1/visits/", "/api/v1/cases/"):
        assert _page_properties(schema, path) >= {"count", "next", "previous", "results"}


CURSOR_LISTS = (
    "/api/v1/feedback/forms/",
    "/api/v1/feedback/items/",
    "/api/v1/feedback/replies/",
    "/api/v1/hotline/calls/",
    "/api/v1/audit-events/",
)


@pytest.mark.parametrize("path", CURSOR_LISTS)
def test_lists_that_grow_without_bound_are_declared_as_cursor_pages(schema, path):
    # Keyset pages (huifu.api.pagination.CursorPagination): no count, which would cost a scan of
    # every row at 10^6, and a cursor parameter instead of a page number.
    assert _page_properties(schema, path) == {"next", "previous", "results"}
    parameters = {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}
    assert "cursor" in parameters and "page" not in parameters


def test_component_names_do_not_collide(schema):
    components = schema["components"]["schemas"]
    assert "email" in components["Contact"]["properties"]  # the directory's contact
    assert "contact_date" in components["ContactLogEntry"]["properties"]  # the deepening log
