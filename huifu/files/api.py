"""API: downloading a stored file with the same rule as the page (Bearer token or session)."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.views import APIView

from .selectors import stored_file_for_download
from .views import file_response


class _AnyAccept(BaseContentNegotiation):
    """The body is the file itself; whatever the client accepts, errors still render as JSON."""

    def select_parser(self, request, parsers):  # noqa: ANN001, ANN201
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):  # noqa: ANN001, ANN201
        return renderers[0], renderers[0].media_type


def api_file_url(file_id: Any) -> str | None:
    """The link an API response gives for a stored file: ``/api/v1/files/<id>/``, which accepts
    the client's token (the page URL ``files:download`` would redirect it to the login page)."""
    return reverse("api-file-download", args=[file_id]) if file_id else None


class FileDownloadApi(APIView):
    content_negotiation_class = _AnyAccept

    @extend_schema(
        summary="Download a stored file",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, file_id: uuid.UUID):  # noqa: ANN201
        return file_response(stored_file_for_download(user=request.user, file_id=file_id))
