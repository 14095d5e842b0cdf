"""Trading-data pages (staff): overview with the import batches and upload, batch detail,
exchange closures. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm

from . import selectors, services
from .forms import ClosureForm, UploadForm
from .importers.daily import COLUMNS
from .models import ImportFormat, ImportMode

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    require_perm(request, "tradingdata.view_trading_data")
    can_import = request.user.has_perm("tradingdata.import_data")
    form = UploadForm()
    if request.method == "POST":
        require_perm(request, "tradingdata.import_data")
        form = UploadForm(request.POST, request.FILES, uploader=request.user)
        if form.is_valid():
            try:
                batch = services.import_upload(
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                    mode=form.cleaned_data["mode"] or ImportMode.REPLACE_DAYS,
                    confirm_replace=form.cleaned_data["confirm_replace"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if batch.status == "imported":
                    messages.success(
                        request,
                        _("Imported %(rows)s rows; %(replaced)s stored rows replaced.")
                        % {"rows": batch.rows_imported, "replaced": batch.rows_replaced},
                    )
                else:
                    messages.error(request, _("The file was rejected: nothing was imported."))
                return redirect(batch.get_absolute_url())
    page = Paginator(selectors.batches_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "tradingdata/overview.html",
        {
            "page": page,
            "form": form,
            "can_import": can_import,
            "coverage": selectors.data_coverage(request.user),
            "columns": COLUMNS,
        },
    )


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "tradingdata.view_trading_data")
    batch = selectors.batch_get(user=request.user, batch_id=pk)
    rows = None
    if batch.file_format == ImportFormat.RANKING and batch.status == "imported" and batch.first_date:
        rows = Paginator(
            selectors.ranking_rows_for(request.user, report_date=batch.first_date).filter(batch=batch), 50
        ).get_page(request.GET.get("page"))
    return render(request, "tradingdata/batch_detail.html", {"batch": batch, "page": rows})


@login_required
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest) -> HttpResponse:
    require_perm(request, "tradingdata.view_trading_data")
    can_edit = request.user.has_perm("tradingdata.change_calendar")
    form = ClosureForm()
    if request.method == "POST":
        require_perm(request, "tradingdata.change_calendar")
        form = ClosureForm(request.POST)
        if form.is_valid():
            try:
                services.closure_add(
                    day=form.cleaned_data["day"], reason=form.cleaned_data["reason"], actor=request.user
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Closure saved."))
                return redirect("tradingdata:closures")
    page = Paginator(selectors.closures_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tradingdata/closures.html", {"page": page, "form": form, "can_edit": can_edit})


@login_required
@require_POST
def closure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "tradingdata.change_calendar")
    closure = selectors.closures_for(request.user).filter(pk=pk).first()
    if closure is None:
        raise Http404
    services.closure_remove(closure=closure, actor=request.user)
    messages.success(request, _("Closure removed."))
    return redirect("tradingdata:closures")
