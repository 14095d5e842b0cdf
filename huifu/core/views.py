from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from huifu.core.home import cards_for


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 ``ok``; 200 ``degraded`` when only the job broker is down (jobs wait and catch up);
    503 ``error`` when the database or the file store fails (see ``huifu.core.health``)."""
    try:
        # A broken pooled connection is dropped here, so the next request reconnects. (Django
        # does this at every request start too; doing it here keeps the check self-contained.)
        # Never inside a transaction (ATOMIC_REQUESTS, tests): closing there would break it.
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        if not connection.in_atomic_block:
            connection.close()
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": exc.__class__.__name__}, status=503
        )
    from .health import broker_status, storage_status

    storage, broker = storage_status(), broker_status()
    body = {"database": "ok", "vendor": connection.vendor, "storage": storage, "broker": broker}
    if storage != "ok":
        return JsonResponse({"status": "error", **body}, status=503)
    degraded = broker not in {"ok", "not used"}
    return JsonResponse({"status": "degraded" if degraded else "ok", **body})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """ "My work": the cards the apps register (huifu/core/home.py), each scoped by its list's
    selector; those where something waits come first."""
    return render(request, "core/home.html", {"cards": cards_for(request.user)})


# Errors that mean "the database cannot be reached right now" rather than "a bug".
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the API answers its JSON envelope, pages the static HTML page; 503 with
    ``Retry-After`` while the database is unreachable, 500 otherwise (a bug, a storage failure).

    Renders without a request context: the context processors may need the very database that
    failed."""
    exc = sys.exc_info()[1]
    unavailable = isinstance(exc, UNAVAILABLE_ERRORS)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        from huifu.api.errors import server_error_body

        response: HttpResponse = JsonResponse(server_error_body(unavailable=unavailable), status=status)
    else:
        template = loader.get_template("503.html" if unavailable else "500.html")
        response = HttpResponse(template.render(), status=status)
    if unavailable:
        response["Retry-After"] = "30"
    return response
