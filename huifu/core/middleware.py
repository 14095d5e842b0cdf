"""Language: Simplified Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which would show English to
anyone with an English browser. Huifu is Chinese first: the language comes from the user's
explicit choice (the header switch's cookie, else the saved profile preference), never from the
browser. API clients have no switch, so the API honours the Accept-Language header."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
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
