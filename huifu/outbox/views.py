"""The outbox page for operators: what went out, what is waiting, what failed."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .models import OutboxStatus
from .selectors import outbox_counts, outbox_message, outbox_messages
from .services import outbox_retry

PAGE_SIZE = 50


@require_GET
@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("outbox.view_outbox"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in OutboxStatus.values:
        status = ""
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(outbox_messages(user=request.user, status=status, search=search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = outbox_counts(user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outbox/list.html",
        {
            "page": page,
            "status": status,
            "search": search,
            "statuses": OutboxStatus.choices,
            "status_counts": [(value, label, counts[value]) for value, label in OutboxStatus.choices],
            "query": query.urlencode(),
            "can_retry": request.user.has_perm("outbox.retry_message"),
        },
    )


@require_POST
@login_required
def retry(request: HttpRequest, message_id: uuid.UUID) -> HttpResponse:
    if not request.user.has_perm("outbox.retry_message"):
        raise PermissionDenied
    message = outbox_message(user=request.user, message_id=message_id)
    try:
        outbox_retry(message=message, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The message to %(to)s is queued again.") % {"to": message.to})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("outbox:list")
