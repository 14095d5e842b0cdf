"""Hotline pages (staff). Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm
from huifu.tracking.services import tracked_for

from . import selectors, services
from .filters import CallFilter
from .forms import CallForm, FollowUpForm, SettingForm

PAGE_SIZE = 25


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "hotline.view_call_list")
    filters = page_filter(CallFilter, request, selectors.call_list_for_user(user=request.user))
    form, qs = filters.form, filters.qs
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "hotline/list.html",
        {
            "form": form,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": params.urlencode(),
            "current": selectors.setting_current(),
            "can_log": request.user.has_perm("hotline.log_call"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "hotline.log_call")
    if request.method == "POST":
        form = CallForm(request.POST)
        if form.is_valid():
            try:
                call = services.call_log(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The call is logged."))
                return redirect(call)
    else:
        form = CallForm()
    return render(request, "hotline/form.html", {"form": form})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "hotline.view_call_list")
    call = selectors.call_get_for_user(user=request.user, call_id=pk)
    return render(
        request,
        "hotline/detail.html",
        {
            "call": call,
            "deadline": tracked_for(call, services.TRACKING_KIND),
            "can_close": call.follow_up_status == "open" and request.user.has_perm("hotline.close_follow_up", call),
            "follow_up_form": FollowUpForm(),
        },
    )


@login_required
@require_POST
def call_follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "hotline.view_call_list")
    call = selectors.call_get_for_user(user=request.user, call_id=pk)
    require_perm(request, "hotline.close_follow_up", call)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.call_follow_up_close(actor=request.user, call=call, note=form.cleaned_data["note"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The follow-up is recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(call)


@login_required
@require_http_methods(["GET", "POST"])
def setting_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "hotline.view_call_list")
    can_change = request.user.has_perm("hotline.change_setting")
    form = SettingForm()
    if request.method == "POST":
        require_perm(request, "hotline.change_setting")
        form = SettingForm(request.POST)
        if form.is_valid():
            try:
                services.hotline_setting_record(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The hotline setting is recorded."))
                return redirect("hotline:settings")
    return render(
        request,
        "hotline/settings.html",
        {
            "form": form if can_change else None,
            "history": selectors.setting_history(),
            "current": selectors.setting_current(),
        },
    )
