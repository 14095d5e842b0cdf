"""Project-wide middleware: the language of a page, and private caching of generated documents.

Language: Simplified Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
anyone with an English browser. Huifu is Chinese first: the language comes from the user's
explicit choice (the header switch's cookie, else the saved profile preference), never from the
browser. API clients have no switch, so the API honours the Accept-Language header."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        language = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if language is None:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                language = _supported(getattr(user, "preferred_language", ""))
        if language is None and request.path.startswith("/api/"):
            language = _supported(translation.get_language_from_request(request))
        language = language or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Generated documents carry personal and business data: browsers and proxies must not keep them.
PRIVATE_DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "text/calendar",
        "text/csv",
        "application/zip",
        "application/octet-stream",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/msword",
    }
)


class PrivateDocumentsMiddleware:
    """``Cache-Control: private, no-store`` on every generated document (PDF summaries, .ics
    invitations, Excel exports, Word forms) and every attachment, like uploaded files get: one rule
    here instead of one line in each view that builds a document."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private_document(response):
            response["Cache-Control"] = "private, no-store"
        return response


def is_private_document(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    disposition = response.get("Content-Disposition", "").lower()
    return content_type in PRIVATE_DOCUMENT_TYPES or disposition.startswith("attachment")


class HealthzMiddleware:
    """Answers ``/healthz`` before any other middleware runs.

    Sessions, authentication and the language preference all read the database; with a session
    cookie, a database outage made them fail before the health check could answer 503 (the load
    balancer saw a 500 page). The check needs none of them, and a load balancer probing over
    plain HTTP must not be redirected to HTTPS either, so this middleware comes first.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if request.path == "/healthz":
            from huifu.core.views import healthz

            return healthz(request)
        return self.get_response(request)
