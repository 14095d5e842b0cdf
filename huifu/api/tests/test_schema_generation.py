"""The OpenAPI schema is generated without a single error or warning, so every operation declares
what it really answers: a view whose serializer drf-spectacular cannot guess gets a free-form
response that no contract test can check, two operations sharing an operationId get numbered ones,
and colliding enum names get hashed ones (``Status04cEnum``) that change when a choice changes."""

from __future__ import annotations

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


@pytest.fixture
def generated():
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = sorted([*GENERATOR_STATS._error_cache, *GENERATOR_STATS._warn_cache])
    GENERATOR_STATS.reset()
    return schema, problems


def test_the_schema_is_generated_without_errors_or_warnings(generated):
    schema, problems = generated
    assert problems == [], "\n".join(problems)
    validate_schema(schema)  # raises on anything that is not valid OpenAPI 3


def _response(schema: dict, path: str, method: str, code: str = "200") -> dict:
    return schema["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]


def _component(schema: dict, ref: dict) -> dict:
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/activities/",
        "/api/v1/budget/pools/",
        "/api/v1/budget/allocations/",
        "/api/v1/incentives/projects/",
        "/api/v1/incentives/participations/",
        "/api/v1/products/",
        "/api/v1/settlements/statements/",
        "/api/v1/tradingdata/batches/",
    ],
)
def test_list_operations_declare_a_page_of_records(generated, path):
    schema, _ = generated
    operation = schema["paths"][path]["get"]
    assert operation["operationId"].endswith("_list")
    page = _component(schema, _response(schema, path, "get"))
    assert set(page["properties"]) >= {"count", "next", "previous", "results"}
    assert "$ref" in page["properties"]["results"]["items"]  # a declared record, not free-form


def test_allocation_detail_and_its_writes_declare_invoices_and_payments(generated):
    schema, _ = generated
    for path, method, code in [
        ("/api/v1/budget/allocations/{id}/", "get", "200"),
        ("/api/v1/budget/allocations/{id}/invoices/", "post", "201"),
        ("/api/v1/budget/allocations/{id}/payments/", "post", "201"),
    ]:
        detail = _component(schema, _response(schema, path, method, code))
        assert {"invoices", "payments", "payable"} <= set(detail["properties"])
        assert "requestBody" in schema["paths"][path][method] or method == "get"


def test_fields_read_through_a_relation_are_nullable_when_a_step_is(generated):
    schema, _ = generated
    components = schema["components"]["schemas"]
    # a statement of an organisation without a member number: "member_number": null
    assert components["Statement"]["properties"]["member_number"].get("nullable") is True
    # an award line has no product (nullable foreign key, product.code)
    assert components["Line"]["properties"]["product"].get("nullable") is True
    # never null: the run's project code
    assert "nullable" not in components["Statement"]["properties"]["project"]
