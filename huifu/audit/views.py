"""Staff pages of the audit trail: the list of events and the history of one record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .forms import AuditFilterForm
from .rendering import render_events
from .selectors import audit_events, can_read_history, content_type_for, record_types

PAGE_SIZE = 50


@require_GET
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    if not can_read_history(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, record_types=record_types(user=request.user))
    filters = form.filters() if form.is_bound else {}
    page = Paginator(audit_events(user=request.user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "entries": render_events(list(page)), "query": query.urlencode()},
    )


@require_GET
@login_required
def record_history(request: HttpRequest, app_label: str, model: str, pk: str) -> HttpResponse:
    if not can_read_history(request.user):
        raise PermissionDenied
    ct = content_type_for(app_label, model)
    if ct is None:
        raise Http404("unknown kind of record")
    page = Paginator(audit_events(user=request.user, target_type=ct, target_id=pk), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page)
    if not events and page.number == 1:
        raise Http404("no history for this record")
    model_class = ct.model_class()
    return render(
        request,
        "audit/history.html",
        {
            "page": page,
            "entries": render_events(events),
            "record_label": events[0].target_label if events else pk,
            "record_kind": model_class._meta.verbose_name if model_class else ct.model,
            "query": "",
        },
    )
