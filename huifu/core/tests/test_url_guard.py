"""A safety net under every app's own permission tests: no Huifu page or API endpoint answers
an anonymous visitor, except the few that must (login, sign-up, password reset, health check,
the API schema). A new view that forgets its permission check fails here."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/logout/",
    "/accounts/confirm-email/",
    "/accounts/2fa/authenticate/",
    "/accounts/reauthenticate/",
    "/accounts/inactive/",
    "/accounts/email/",  # closed: redirects to the profile, which requires login
    "/accounts/3rdparty/",
    "/healthz",
    "/i18n/",
    "/api/schema/",
    "/api/docs/",
    "/django-admin/",
    "/events/public/",  # published investor-education sessions: open to anyone (huifu/events)
    # Signed links mailed to people who may have no account: a forged or used token is a 404
    # (huifu/events/tests/test_speakers_views.py, test_followup_surveys.py).
    "/events/invitation/",
    "/events/survey/",
    # A material's file: public materials to anyone, the others 404 unless the reader may see
    # them (huifu/events/tests/test_materials.py).
    "/events/materials/1/file/",
    # Published public notices and cases (huifu/publicsite); drafts, withdrawn and member-only
    # items answer 404 there (huifu/publicsite/tests/test_public_pages.py).
    "/public/",
    # A certificate's public check by the code in its QR code: unknown or altered codes answer a
    # 404 "not found" page (huifu/certificates/tests/test_views.py).
    "/verify/",
    # The public figures page and its exports: exchange-wide counts with small counts suppressed
    # (huifu/dashboards/tests/test_views.py).
    "/dashboards/public/",
)
# Exactly these paths, not their sub-paths: "/" is the public landing page for visitors and the
# home for signed-in users (huifu/publicsite/views.py ``front_door``).
PUBLIC_EXACT = ("/",)

SAMPLE_VALUES = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000001", "slug": "x", "str": "x", "path": "x"}


def _walk(resolver: URLResolver, prefix: str = ""):  # noqa: ANN202
    for entry in resolver.url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + pattern)
        elif isinstance(entry, URLPattern):
            yield prefix + pattern


def _concrete(route: str) -> str | None:
    if "(?P<format>" in route or r"\.(?P" in route:
        return None  # DRF's ".json" format-suffix twins of routes already listed
    # Regex routes (DRF routers): drop anchors, fill named groups with a sample value.
    url = route.replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES.get(m.group(1) or "str", "x"), url)
    if any(ch in url for ch in "()[]?*+\\"):
        return None  # an unusual regex: its app's own tests cover it
    return "/" + url


def _huifu_urls() -> list[str]:
    urls = []
    for route in _walk(get_resolver()):
        url = _concrete(route)
        if url is None or url.startswith(PUBLIC_PREFIXES) or url in PUBLIC_EXACT:
            continue
        urls.append(url)
    return sorted(set(urls))


@pytest.mark.django_db
@pytest.mark.parametrize("url", _huifu_urls())
def test_anonymous_is_refused_everywhere(client, url):
    response = client.get(url)
    if url.startswith("/api/"):
        assert response.status_code in (401, 405), f"{url} answered {response.status_code} to an anonymous client"
    else:
        # POST-only views may refuse the method before anything else; everything else must send
        # the visitor to the login page before looking anything up.
        assert response.status_code in (302, 405), f"{url} answered {response.status_code}"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], f"{url} redirected to {response['Location']}"
