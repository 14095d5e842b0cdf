"""One error envelope for the whole API:

    {"error": {"code": "validation_error", "message": "...", "fields": {"field": ["..."]}}}

Codes are stable; messages are translated to the request's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
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


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
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

