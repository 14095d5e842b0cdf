"""The staff work queue: filters, sorting, saved filters, bulk assignment."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huifu.core.keyset import keyset_page_keys

from . import selectors, services
from .forms import BulkForm, QueueFilterForm
from .kinds import kind_label
from .models import SavedQueueFilter

PAGE_SIZE = 25
SAVED_FILTERS_MAX = 20
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
    "organisation_id",
    "organisation__name_zh",
    "organisation__name_en",  # the English name for a reader in English (issue 10 point 13)
    "department__name_zh",
    "department__name_en",
    "owner__full_name",
    "owner__email",
)


def _require_queue(request: HttpRequest) -> None:
    if not request.user.has_perm("tracking.view_queue"):
        raise PermissionDenied


def _back(request: HttpRequest) -> str:
    """The queue with the filters the form was posted from (a relative query string only)."""
    query = request.POST.get("query", "")
    return reverse("tracking:queue") + (f"?{query}" if query and "//" not in query else "")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_queue(request)
    form = QueueFilterForm(request.GET or None)
    f = form.cleaned_data if form.is_valid() else {}
    status = f.get("status") or "active"
    sort = f.get("sort") or "deadline"
    parts = selectors.queue_parts(
        user=request.user,
        status=status,
        kind=f.get("kind") or "",
        topic=f.get("topic") or "",
        organisation_id=f["organisation"].pk if f.get("organisation") else None,
        department_id=f["department"].pk if f.get("department") else None,
        owner_id=f["owner"].pk if f.get("owner") else None,
        mine=bool(f.get("mine")),
    )
    counts = selectors.queue_counts(user=request.user)
    # Keyset pages (``?after=``): the 500th page costs what the first does, in every sort (issue #9).
    parts = selectors.sorted_parts([part.only(*ROW_COLUMNS) for part in parts], sort=sort, status=status)
    page = keyset_page_keys(parts, keys=selectors.SORTS[sort], cursor=request.GET.get("after"), size=PAGE_SIZE)
    for item in page.object_list:
        item.kind_label = kind_label(item.kind)
    params = request.GET.copy()
    for name in ("page", "after"):
        params.pop(name, None)
    querystring = params.urlencode()
    return render(
        request,
        "tracking/queue.html",
        {
            "form": form,
            "page": page,
            "querystring": querystring,
            "now": timezone.now(),
            "counts": counts,
            "bulk_form": BulkForm(),
            "saved_filters": SavedQueueFilter.objects.filter(user=request.user).order_by("name", "pk"),
        },
    )


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    """The checked items get the chosen owner and/or lead department, all or nothing."""
    _require_queue(request)
    form = BulkForm(request.POST)
    if form.is_valid():
        try:
            done = services.tracked_bulk_assign(
                item_ids=form.cleaned_data["items"],
                owner=form.cleaned_data.get("owner"),
                department=form.cleaned_data.get("department"),
                actor=request.user,
            )
        except services.BulkAssignRefused as exc:
            names = "；".join(f"{getattr(item, 'title', f'#{item}')}（{why}）" for item, why in exc.refused)
            messages.error(request, f"{exc.messages[0]} {names}")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s items assigned.") % {"n": len(done)})
        return HttpResponseRedirect(_back(request))
    errors = [str(e) for errs in form.errors.values() for e in errs]
    messages.error(request, " ".join(errors))
    return HttpResponseRedirect(_back(request))


@login_required
@require_POST
def saved_filter_add(request: HttpRequest) -> HttpResponse:
    _require_queue(request)
    name = (request.POST.get("name") or "").strip()[:60]
    query = (request.POST.get("query") or "")[:1000]
    if not name:
        messages.error(request, _("Name the filter to save it."))
    elif SavedQueueFilter.objects.filter(user=request.user).count() >= SAVED_FILTERS_MAX:
        messages.error(request, _("At most %(n)s saved filters: delete one first.") % {"n": SAVED_FILTERS_MAX})
    else:
        # Keep only the filters' own parameters (no cursor), as the form would send them.
        form = QueueFilterForm(dict(_pairs(query)))
        kept = urlencode([(k, v) for k, v in _pairs(query) if k in form.fields and v])
        try:
            with transaction.atomic():
                SavedQueueFilter.objects.create(user=request.user, name=name, query=kept)
        except IntegrityError:
            messages.error(request, _("You already have a saved filter called “%(name)s”.") % {"name": name})
        else:
            messages.success(request, _("Filter “%(name)s” saved.") % {"name": name})
    return HttpResponseRedirect(_back(request))


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=False)[:20]


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_queue(request)
    saved = get_object_or_404(SavedQueueFilter, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return HttpResponseRedirect(reverse("tracking:queue"))
