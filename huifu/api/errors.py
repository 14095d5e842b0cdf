"""One error envelope for the whole API:

    {"error": {"code": "validation_error", "message": "...", "fields": {"field": ["..."]}}}

Codes are stable; messages are translated to the request's language. A service refuses with a
django ``ValidationError`` carrying a domain code (``illegal_transition``, ``pool_exhausted``,
``over_payment`` …); that code reaches the client as the envelope's ``code`` (still a 400),
with the service's own message. Plain field validation stays ``validation_error``.
The schema declares this envelope for every operation (``huifu.api.schema``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_CODES = {
    exceptions.ValidationError: "validation_error",
    exceptions.ParseError: "parse_error",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


def _fields(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Field → messages. Errors inside a field (a dict field's key, an item of a list of
    objects) are named by their path, ``columns.name`` or ``lines.2.amount``: the client gets
    the message, never the repr of DRF's error objects."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
                fields.update(_fields(value, name))
            else:
                fields[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return fields
    if isinstance(detail, list):
        if any(isinstance(item, (dict, list)) for item in detail):
            fields = {}
            for index, item in enumerate(detail):
                if item:
                    name = f"{prefix}.{index}" if prefix else str(index)
                    fields.update(_fields(item if isinstance(item, (dict, list)) else [item], name))
            return fields
        return {prefix or "non_field_errors": [str(m) for m in detail]}
    return {}


# Codes of Django's own validators and model checks: these are field validation, not a domain rule.
_GENERIC_CODES = frozenset(
    {
        "invalid", "required", "blank", "null", "max_length", "min_length", "unique", "unique_together",
        "unique_for_date", "invalid_choice", "max_value", "min_value", "step_size", "max_digits",
        "max_decimal_places", "max_whole_digits", "invalid_date", "invalid_time", "invalid_datetime",
        "overflow", "invalid_pk_value", "does_not_exist", "invalid_list",
    }
)  # fmt: skip


def domain_code(exc: DjangoValidationError) -> str | None:
    """The domain code of a service's ``ValidationError``: the one code all its errors share,
    unless that is a generic validator code (then it is ``validation_error``)."""
    if hasattr(exc, "error_dict"):
        errors = [error for field_errors in exc.error_dict.values() for error in field_errors]
    else:
        errors = exc.error_list
    codes = {error.code for error in errors}
    if len(codes) != 1:
        return None
    code = codes.pop()
    return code if code and code not in _GENERIC_CODES else None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    domain = None
    if isinstance(exc, DjangoValidationError):
        domain = domain_code(exc)
        domain_message = exc.messages[0] if domain and exc.messages else ""
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": code, "message": _("The request has invalid fields."), "fields": _fields(exc.detail)}
        if domain:
            body.update(code=domain, message=domain_message)
    else:
        detail = getattr(exc, "detail", "")
        body = {"code": code, "message": str(detail) if detail else _("The request failed.")}
    response.data = {"error": body}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def server_error_body(*, unavailable: bool) -> dict[str, Any]:
    """The envelope of an uncaught error (``huifu.core.views.server_error``): ``service_unavailable``
    (503, the database cannot be reached; retry later) or ``server_error`` (500)."""
    if unavailable:
        return {
            "error": {
                "code": "service_unavailable",
                "message": _("The service is temporarily unavailable. Try again in a moment."),
            }
        }
    return {"error": {"code": "server_error", "message": _("The server failed to handle the request.")}}


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: a URL under /api/ that matches no route (``/api/v1/visits/abc/``) answers
    with the envelope, like a missing record; other paths get the HTML page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "not_found", "message": str(exceptions.NotFound.default_detail)}}, status=404
        )
    return defaults.page_not_found(request, exception)
