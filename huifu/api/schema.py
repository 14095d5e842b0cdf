"""The OpenAPI schema tells the truth about errors too.

Every operation answers with the one error envelope (``huifu.api.errors``) for the codes it can
produce; they are declared here once for all operations instead of per view:

    401  no or a bad token                        every operation
    403  not allowed, or two-factor required      every operation
    429  over the rate limit                      every operation
    400  invalid fields or a refused operation    operations with a body or parameters
         (``code`` names it: ``validation_error``, ``illegal_transition``, …)
    404  not found or not yours                   operations with path parameters, and pages
    415  a body in an unsupported media type      operations with a body

Response fields also say what they really return: DRF drops ``allow_blank`` from read-only model
fields, so a blank ``org_role`` or e-mail, or a null foreign key, broke the declared type; here a
response field is nullable when a model field on its source path is (``organisation.member_number``
is null for an organisation without a member number; a null foreign key makes every field read
through it null) or its default is ``None``, and may be blank when its model field may.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The one error envelope of the API.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "Stable code: validation_error, illegal_transition, permission_denied, "
                    "not_found, not_authenticated, throttled, … (see huifu.api.errors).",
                },
                "message": {"type": "string", "description": "Translated to the request's language."},
                "fields": {
                    "type": "object",
                    "description": "Field name → messages (validation errors only).",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}
DESCRIPTIONS = {
    "400": "Invalid fields, or the operation does not fit the record's state.",
    "401": "Not authenticated: no token, or an unknown, expired or revoked one.",
    "403": "Not allowed (or two-factor authentication must be set up first).",
    "404": "Not found, or not visible to the caller.",
    "415": "Unsupported media type of the request body.",
    "429": "Too many requests; retry after the time in Retry-After.",
}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _model_fields(serializer: Any, field: serializers.Field) -> list[Any]:
    """The model fields along the field's source, e.g. ``organisation.member_number`` gives the
    statement's ``organisation`` and the organisation's ``member_number`` (empty if unknown)."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    source = getattr(field, "source", "") or ""
    if model is None or not source or source == "*":
        return []
    path = []
    for name in source.split("."):
        try:
            model_field = model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            return []
        path.append(model_field)
        model = model_field.related_model
    return path


def _declare_what_fields_return(serializer: Any) -> None:
    """A field of a response may be null when its default is ``None`` or a model field on its
    source path is nullable (a null foreign key makes ``organisation.name`` null too)."""
    for field in serializer.fields.values():
        path = _model_fields(serializer, field)
        if field.default is None or any(getattr(model_field, "null", False) for model_field in path):
            field.allow_null = True
        if (
            path
            and getattr(path[-1], "blank", False)
            and isinstance(field, serializers.CharField | serializers.ChoiceField)
        ):
            field.allow_blank = True


class AutoSchema(SpectacularAutoSchema):
    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        if direction == "response":
            _declare_what_fields_return(serializer)
        return super()._map_basic_serializer(serializer, direction)

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        component = ResolvedComponent(
            name=ERROR_COMPONENT, type=ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object=ERROR_COMPONENT
        )
        self.registry.register_on_missing(component)
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            responses.setdefault(
                code, {"description": DESCRIPTIONS[code], "content": {"application/json": {"schema": component.ref}}}
            )
        return operation

    def _error_codes(self, operation: dict[str, Any]) -> list[str]:
        parameters = operation.get("parameters", [])
        has_body = self.method in BODY_METHODS
        codes = ["401", "403", "429"]
        if has_body or parameters:  # a bad query or path value (a date, a filter) is a 400
            codes.append("400")
        if any(p.get("in") == "path" for p in parameters) or self._get_paginator() is not None:
            codes.append("404")
        if has_body:
            codes.append("415")
        return sorted(codes)
