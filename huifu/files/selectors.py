"""Reading stored files, scoped by the user."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404

from .access import can_download
from .models import StoredFile


def stored_file_for_download(*, user: Any, file_id: uuid.UUID | str) -> StoredFile:
    """The file if ``user`` may download it; Http404 otherwise, exactly as for a missing file."""
    try:
        stored = StoredFile.objects.get(pk=file_id)
    except (StoredFile.DoesNotExist, ValueError):
        raise Http404("no such file")
    if not can_download(user, stored):
        raise Http404("no such file")
    return stored
