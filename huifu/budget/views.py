"""Budget pages. Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core import spreadsheets
from huifu.core.http import add_service_errors, require_perm
from huifu.core.running_total import show_running_total

from . import funding, selectors, services
from .exports import year_workbook
from .forms import AdjustForm, InvoiceForm, PaymentForm, PoolEditForm, PoolForm, ReleaseForm

PAGE_SIZE = 25


@login_required
def pool_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "budget.view_pool_list")
    year = request.GET.get("year")
    qs = selectors.pool_list(user=request.user, year=int(year) if (year or "").isdigit() else None)
    return render(
        request,
        "budget/pool_list.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "years": selectors.pool_years(),
            "can_manage": request.user.has_perm("budget.manage_pools"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pool_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "budget.manage_pools")
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pool created."))
            return redirect(pool)
    return render(request, "budget/pool_form.html", {"form": form, "pool": None})


@login_required
def pool_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "budget.view_pool")
    pool = selectors.pool_get(user=request.user, pool_id=pk)
    qs = selectors.allocation_list(user=request.user, pool=pool)
    return render(
        request,
        "budget/pool_detail.html",
        {
            "pool": pool,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_manage": request.user.has_perm("budget.manage_pools"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pool_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "budget.view_pool")
    pool = selectors.pool_get(user=request.user, pool_id=pk)
    require_perm(request, "budget.manage_pools")
    initial = {"name": pool.name, "amount": pool.amount, "status": pool.status, "note": pool.note}
    form = PoolEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pool_update(pool=pool, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pool saved."))
            return redirect(pool)
    return render(request, "budget/pool_form.html", {"form": form, "pool": pool})


@login_required
def allocation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "budget.view_allocation_list")
    year = request.GET.get("year")
    qs = selectors.allocation_list(user=request.user, year=int(year) if (year or "").isdigit() else None)
    return render(
        request,
        "budget/allocation_list.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "years": selectors.pool_years(),
        },
    )


def _allocation_context(request: HttpRequest, allocation: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    target = allocation.target
    url_fn = funding.funded_for(allocation.target_type.model_class()).url
    can_invoice = user.has_perm("budget.register_invoice", allocation)
    can_pay = user.has_perm("budget.record_payment", allocation)
    can_manage = user.has_perm("budget.manage_allocation", allocation) and allocation.status == "active"
    invoice_form = forms.get("invoice_form") or (
        InvoiceForm(initial={"buyer_name": allocation.pool.payer_name}) if can_invoice else None
    )
    payment_form = forms.get("payment_form") or (
        PaymentForm(initial={"payee_name": allocation.organisation.name_zh, "amount": allocation.payable})
        if can_pay
        else None
    )
    # The cap and what is used already, shown under the amount while it is typed (kit).
    if invoice_form is not None:
        show_running_total(
            invoice_form.fields["amount"],
            used=services.allocation_invoiced(allocation),
            cap=allocation.approved_amount,
            used_label=_("Invoiced"),
        )
    if payment_form is not None:
        show_running_total(
            payment_form.fields["amount"],
            used=services.allocation_paid(allocation),
            cap=allocation.approved_amount,
            used_label=_("Paid"),
        )
    return {
        "allocation": allocation,
        "target_url": url_fn(target) if (url_fn and target is not None) else "",
        "invoices": selectors.allocation_invoices(allocation),
        "payments": selectors.allocation_payments(allocation),
        "can_invoice": can_invoice,
        "can_pay": can_pay,
        "can_manage": can_manage,
        "invoice_form": invoice_form,
        "payment_form": payment_form,
        "adjust_form": forms.get("adjust_form")
        or (AdjustForm(initial={"amount": allocation.approved_amount}) if can_manage else None),
        "release_form": forms.get("release_form") or (ReleaseForm() if can_manage else None),
    }


@login_required
def allocation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "budget.view_allocation_list")
    allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
    return render(request, "budget/allocation_detail.html", _allocation_context(request, allocation))


def _allocation_action(
    request: HttpRequest, pk: int, perm: str, form_class: Any, form_key: str, call: Any, done: str
) -> HttpResponse:
    require_perm(request, "budget.view_allocation_list")
    allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
    require_perm(request, perm, allocation)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(allocation, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(allocation)
    context = _allocation_context(request, allocation, **{form_key: form})
    return render(request, "budget/allocation_detail.html", context, status=400)


@login_required
@require_POST
def invoice_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(allocation: Any, data: dict[str, Any]) -> None:
        services.invoice_register(
            allocation=allocation,
            actor=request.user,
            number=data["number"],
            amount=data["amount"],
            issue_date=data["issue_date"],
            file=data["file"],
            buyer_name=data["buyer_name"],
        )

    form_class = partial(InvoiceForm, uploader=request.user)  # the invoice file survives an error
    return _allocation_action(
        request, pk, "budget.register_invoice", form_class, "invoice_form", call, _("Invoice registered.")
    )


@login_required
@require_POST
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    def call(allocation: Any, data: dict[str, Any]) -> None:
        services.payment_record(allocation=allocation, actor=request.user, **data)

    return _allocation_action(
        request, pk, "budget.record_payment", PaymentForm, "payment_form", call, _("Payment recorded.")
    )


@login_required
@require_POST
def allocation_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    def call(allocation: Any, data: dict[str, Any]) -> None:
        services.allocation_adjust(allocation=allocation, actor=request.user, **data)

    return _allocation_action(
        request, pk, "budget.manage_allocation", AdjustForm, "adjust_form", call, _("Allocation changed.")
    )


@login_required
@require_POST
def allocation_release(request: HttpRequest, pk: int) -> HttpResponse:
    def call(allocation: Any, data: dict[str, Any]) -> None:
        services.allocation_release(allocation=allocation, actor=request.user, **data)

    return _allocation_action(
        request, pk, "budget.manage_allocation", ReleaseForm, "release_form", call, _("Allocation released.")
    )


@login_required
def year_export(request: HttpRequest, year: int) -> HttpResponse:
    require_perm(request, "budget.export")
    return spreadsheets.download(year_workbook(user=request.user, year=year), f"budget-{year}.xlsx")
