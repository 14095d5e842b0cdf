from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import BELL_CAP, unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    """The header bell's count, computed only if a template shows it (one query)."""
    user = getattr(request, "user", None)

    def count() -> str:
        n = unread_count(user=user)
        return f"{BELL_CAP}+" if n > BELL_CAP else str(n) if n else ""

    return {"notifications_unread": SimpleLazyObject(count)}
