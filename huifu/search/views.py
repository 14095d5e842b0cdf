from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .query import clean_query
from .registry import search_all


@login_required
def results(request: HttpRequest) -> HttpResponse:
    """The results page: one group per kind of record the user may see, each from its app's
    provider (``huifu/<app>/search_provider.py``), scoped by that app's selectors."""
    raw = request.GET.get("q", "")
    text, problem = clean_query(raw)
    groups = search_all(user=request.user, text=text) if text else []
    return render(
        request,
        "search/results.html",
        {
            "q": text or raw[:200],
            "problem": problem,
            "groups": groups,
            "found_any": any(g.found.hits for g in groups),
        },
        status=200,
    )
