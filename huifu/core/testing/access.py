"""Assertions for the permission matrix.

Pages: anonymous users are sent to the login page; a user without the right gets 403 on a list
or action page and 404 on another organisation's object ("not yours" reads like "not there").
API: 401 without credentials, 403 or 404 likewise.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from .auth import login

DENIED = (302, 403, 404)


def fetch(client: Any, user: Any | None, url: str, method: str = "get", data: Any = None, **extra: Any) -> Any:
    client.logout()
    if user is not None:
        login(client, user)
    return getattr(client, method)(url, data=data, **extra)


def assert_allowed(
    client: Any,
    user: Any | None,
    url: str,
    method: str = "get",
    data: Any = None,
    ok: tuple[int, ...] = (200,),
    **extra: Any,
) -> Any:
    response = fetch(client, user, url, method, data, **extra)
    assert response.status_code in ok, f"{user} {method.upper()} {url}: expected {ok}, got {response.status_code}"
    return response


def assert_denied(
    client: Any,
    user: Any | None,
    url: str,
    method: str = "get",
    data: Any = None,
    codes: tuple[int, ...] = (403, 404),
    **extra: Any,
) -> Any:
    response = fetch(client, user, url, method, data, **extra)
    if user is None and not url.startswith("/api/"):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
            f"anonymous {method.upper()} {url}: expected a redirect to login, got {response.status_code}"
        )
    elif user is None:
        assert response.status_code == 401, (
            f"anonymous {method.upper()} {url}: expected 401, got {response.status_code}"
        )
    else:
        assert response.status_code in codes, (
            f"{user} {method.upper()} {url}: expected denial {codes}, got {response.status_code}"
        )
    return response


def count_queries(client: Any, url: str) -> tuple[int, list[str]]:
    """Number of SQL queries one GET of ``url`` runs, and their SQL (for the failure message)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} gave {response.status_code}"
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def assert_constant_queries(client: Any, url: str, grow: Any) -> None:
    """GET ``url``, call ``grow()`` to add rows, GET again: the query count must not change.
    Each counted GET follows an uncounted one, which fills the per-process caches (the queue's
    topic choices, the working-day calendar, which ``grow()`` may have emptied): both counts are
    of the ordinary, warm request."""
    client.get(url)
    before, _ = count_queries(client, url)
    grow()
    client.get(url)
    after, sql = count_queries(client, url)
    assert after == before, f"{url}: {before} queries before growing, {after} after:\n" + "\n".join(sql)
