"""The staff work queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from huifu.core.keyset import keyset_page

from . import selectors
from .forms import QueueFilterForm

PAGE_SIZE = 25
# What a row shows (queue.html, the ``deadline`` tag): building the full rows of the item, its
# owner and its company cost more than the queries (issue #9).
ROW_COLUMNS = (
    "kind",
    "title",
    "url",
    "status",
    "topic",
    "due_at",
    "on_time",
    "pause_reason",
    "provisional",
    "warnings",
    "organisation__name_zh",
    "department__name_zh",
    "owner__full_name",
    "owner__email",
)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("tracking.view_queue"):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    parts = selectors.queue_parts(
        user=request.user,
        status=f.get("status") or "active",
        kind=f.get("kind") or "",
        topic=f.get("topic") or "",
        organisation_id=f["organisation"].pk if f.get("organisation") else None,
        department_id=f["department"].pk if f.get("department") else None,
        mine=bool(f.get("mine")),
    )
    counts = selectors.queue_counts(user=request.user)
    # Keyset pages (``?after=``): the 500th page costs what the first does (issue #9).
    parts = [part.only(*ROW_COLUMNS) for part in parts]
    page = keyset_page(parts, by="due_at", cursor=request.GET.get("after"), size=PAGE_SIZE)
    params = request.GET.copy()
    for name in ("page", "after"):
        params.pop(name, None)
    return render(
        request,
        "tracking/queue.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "now": timezone.now(),
            "counts": counts,
        },
    )
