"""Case pages. Readers: list (search, filters) and detail. Staff: create (optionally from a
finished activity or plan: ``?source=app_label.model:pk``), edit drafts, attach files,
publish, withdraw."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm

from . import selectors, services, sources
from .filters import CaseFilter
from .forms import CaseFileForm, CaseForm, WithdrawForm
from .models import CaseAudience

PAGE_SIZE = 20


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cases.view_case_list")
    is_manager = request.user.has_perm("cases.manage_cases")
    filters = page_filter(CaseFilter, request, selectors.case_list(user=request.user))
    form, qs = filters.form, filters.qs
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": params.urlencode(),
            "is_manager": is_manager,
            "can_add": request.user.has_perm("cases.add_case"),
        },
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cases.view_case_list")
    case = selectors.case_get(user=request.user, case_id=pk)
    user = request.user
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "is_manager": user.has_perm("cases.manage_cases"),
            "can_edit": case.is_draft and user.has_perm("cases.change_case", case),
            "can_publish": case.is_draft and user.has_perm("cases.publish_case", case),
            "can_withdraw": case.is_published and user.has_perm("cases.withdraw_case", case),
            "withdraw_form": WithdrawForm(),
        },
    )


def _kwargs(form: CaseForm) -> dict[str, Any]:
    return dict(form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cases.add_case")
    reference = request.GET.get("source") or request.POST.get("source") or ""
    source = sources.resolve(reference) if reference else None
    if reference and source is None:
        raise Http404("source not found")
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_create_draft(actor=request.user, source=source, **_kwargs(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved. Add images or documents, then publish."))
                return redirect("cases:edit", pk=case.pk)
    else:
        initial: dict[str, Any] = {"audience": CaseAudience.MEMBERS}
        spec = sources.source_for(source) if source is not None else None
        if source is not None:
            initial["title"] = str(source)
            if spec and spec.enterprise:
                initial["enterprise"] = spec.enterprise(source)
            if spec and spec.industry:
                initial["industry"] = spec.industry(source)
        form = CaseForm(initial=initial)
    return render(request, "cases/form.html", {"form": form, "case": None, "source": source, "reference": reference})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    require_perm(request, "cases.change_case", case)
    if not case.is_draft:
        messages.error(request, _("Only drafts can be changed; withdraw the case and write a new one."))
        return redirect(case)
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                services.case_update(actor=request.user, case=case, **_kwargs(form))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("cases:edit", pk=case.pk)
    else:
        initial = {
            f: getattr(case, f) for f in ("title", "summary", "body", "industry", "enterprise_label", "audience")
        }
        initial["products"] = ", ".join(case.products or [])
        initial["enterprise"] = case.enterprise_id
        form = CaseForm(initial=initial)
    return render(
        request,
        "cases/form.html",
        {
            "form": form,
            "case": case,
            "file_form": CaseFileForm(),
            "can_publish": request.user.has_perm("cases.publish_case", case),
        },
    )


@login_required
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    require_perm(request, "cases.change_case", case)
    form = CaseFileForm(request.POST, request.FILES, uploader=request.user)
    if form.is_valid():
        try:
            services.case_file_add(
                actor=request.user, case=case, upload=form.cleaned_data["file"], caption=form.cleaned_data["caption"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("File added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("cases:edit", pk=case.pk)


@login_required
@require_POST
def file_remove(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    require_perm(request, "cases.change_case", case)
    item = get_object_or_404(case.files.all(), pk=file_id)
    try:
        services.case_file_remove(actor=request.user, item=item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("File removed."))
    return redirect("cases:edit", pk=case.pk)


@login_required
@require_POST
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    require_perm(request, "cases.publish_case", case)
    try:
        services.case_publish(actor=request.user, case=case)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The case is published."))
    return redirect(case)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, case_id=pk)
    require_perm(request, "cases.withdraw_case", case)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.case_withdraw(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case is withdrawn."))
            return redirect(case)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "is_manager": True,
            "can_withdraw": True,
            "withdraw_form": form,
        },
        status=400,
    )
