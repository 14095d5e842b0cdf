"""Test helpers for lists whose filters are declared once (``huifu.core.filters``): the page and
the API list answer the same rows for the same query string, and a bad value is named by both."""

from __future__ import annotations

import re
from typing import Any


def page_keys(client: Any, url: str, pattern: str) -> set[str]:
    """The keys a list page shows: the first group of ``pattern`` in its HTML (e.g. the ids in
    ``href="/visits/(\\d+)/"``)."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return set(re.findall(pattern, response.content.decode()))


def api_keys(client: Any, url: str, key: str = "id") -> set[str]:
    """The ``key`` of each row of an API list page (``results``), as strings."""
    response = client.get(url + ("&" if "?" in url else "?") + "page_size=200")
    assert response.status_code == 200, response.content
    return {str(row[key]) for row in response.json()["results"]}


def assert_same_rows(
    client: Any, *, page_url: str, api_url: str, query: str, pattern: str, key: str = "id"
) -> set[str]:
    """Page and API filtered by ``query`` (``"?a=1&b=2"`` or ``""``) list the same rows; returns them."""
    sep = "&" if "?" in api_url else "?"
    api = api_keys(client, api_url + (sep + query.lstrip("?") if query else ""), key)
    page = page_keys(client, page_url + query, pattern)
    assert page == api, (query, page, api)
    return api


def assert_bad_value_named(client: Any, *, page_url: str, api_url: str, field: str, value: str) -> None:
    """``?field=value`` is refused by the API (400 naming ``field``) and shown next to the field on
    the page (``core/_filter_fields.html``), never a 500 and never silently ignored."""
    response = client.get(api_url, {field: value})
    assert response.status_code == 400, (response.status_code, response.content)
    assert field in response.json()["error"]["fields"], response.json()
    page = client.get(page_url, {field: value})
    assert page.status_code == 200, page.status_code
    assert f'id="id_{field}_errors"' in page.content.decode(), f"no error shown next to {field}"
