"""The public face of the awards: published winners (revoked ones leave the list) and the
verification page a certificate's QR code points to. An unknown or altered code answers 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def winners(request: HttpRequest) -> HttpResponse:
    return render(request, "awards/public_winners.html", {"editions": selectors.public_editions()})


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    winner = selectors.winner_by_code(code)
    if winner is None:
        raise Http404
    return render(request, "awards/verify.html", {"winner": winner})
