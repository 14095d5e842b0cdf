"""Which account a login attempt counts against, for django-axes.

allauth authenticates with ``email=...``; the login form posts ``login``. Both lead to the same
normalised address, so ``Foo@X.com`` and ``foo@x.com`` share one failure counter.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    value: Any = None
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not value and request is not None:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("email")
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().lower()
