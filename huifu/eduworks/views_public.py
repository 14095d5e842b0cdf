"""Public pages of the educational works (no login, under ``/public/works/``): published works
with filters by kind and product, and one work. Drafts, works in review, approved but not yet
published and withdrawn works answer 404 and are never listed (``selectors.public_work_list``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huifu.core.filters import page_filter

from . import selectors
from .filters import PublicWorkFilter

PAGE_SIZE = 20


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    filters = page_filter(PublicWorkFilter, request, selectors.public_work_list())
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "eduworks/public_list.html", {"filters": filters, "form": filters.form, "page": page})


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "eduworks/public_detail.html", {"work": selectors.public_work_get(work_id=pk)})
