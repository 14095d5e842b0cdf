"""Product pages: list and detail for every logged-in user, edit for staff. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huifu.core.filters import page_filter

from . import selectors, services
from .filters import ProductFilter
from .forms import ProductForm

PAGE_SIZE = 50


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("products.view_product_list"):
        raise PermissionDenied
    filters = page_filter(ProductFilter, request, selectors.product_list(user=request.user))
    form, qs = filters.form, filters.qs
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "products/list.html",
        {
            "form": form,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": params.urlencode(),
            "can_edit": request.user.has_perm("products.change_product"),
        },
    )


@login_required
def product_detail(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.has_perm("products.view_product_list"):
        raise PermissionDenied
    product = selectors.product_get(user=request.user, code=code)
    return render(
        request,
        "products/detail.html",
        {
            "product": product,
            "options": product.options.all(),
            "can_edit": request.user.has_perm("products.change_product", product),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, code: str) -> HttpResponse:
    if not request.user.has_perm("products.change_product"):
        raise PermissionDenied
    product = selectors.product_get(user=request.user, code=code)
    if request.method == "POST":
        form = ProductForm(request.POST, instance=selectors.product_get(user=request.user, code=code))
        if form.is_valid():
            try:
                services.product_update(actor=request.user, product=product, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Product saved."))
                return redirect(product.get_absolute_url())
    else:
        form = ProductForm(instance=product)
    return render(request, "products/edit.html", {"product": product, "form": form})
