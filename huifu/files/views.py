"""Handing out stored files, only after a permission check."""

from __future__ import annotations

import logging
import uuid

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from .models import StoredFile
from .selectors import stored_file_for_download

logger = logging.getLogger(__name__)


def file_response(stored: StoredFile) -> FileResponse:
    """A streaming attachment response for ``stored`` (RFC 6266/5987 encoded file name)."""
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        logger.error("stored file %s is missing from storage (%s)", stored.pk, stored.file.name)
        raise Http404("file content missing")
    # Any other OSError is the storage failing (disk, network share, S3): a server error, not a
    # missing file; it reaches handler500 (the API's JSON envelope, or the 500 page).
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type)
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@login_required
def download(request: HttpRequest, file_id: uuid.UUID) -> FileResponse:
    return file_response(stored_file_for_download(user=request.user, file_id=file_id))
