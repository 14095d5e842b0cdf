"""Enterprise profile pages: list, create, detail (with the contact log), edit, register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm

from .. import selectors, services
from ..filters import ProfileFilter
from ..forms import ContactLogForm, ProfileEditForm, ProfileForm, RegisterEnterpriseForm
from ..services.profiles import PROFILE_FIELDS
from .common import page_of, querystring_without_page


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "deepening.view_profile_list")
    filters = page_filter(ProfileFilter, request, selectors.profile_list(user=request.user))
    return render(
        request,
        "deepening/profile_list.html",
        {
            "form": filters.form,
            "page": page_of(request, filters.qs),
            "querystring": querystring_without_page(request),
            "can_add": request.user.has_perm("deepening.add_profile"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "deepening.add_profile")
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile = services.profile_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Enterprise profile saved."))
                return redirect(profile)
    else:
        form = ProfileForm()
    return render(request, "deepening/profile_form.html", {"form": form, "profile": None})


def _render_detail(request: HttpRequest, profile, contact_form=None, register_form=None, status=200):  # noqa: ANN001, ANN202
    user = request.user
    return render(
        request,
        "deepening/profile_detail.html",
        {
            "profile": profile,
            "can_edit": user.has_perm("deepening.change_profile", profile),
            "can_log": user.has_perm("deepening.add_contact_log", profile),
            "can_register": not profile.is_registered and user.has_perm("deepening.register_enterprise", profile),
            "contact_form": contact_form or ContactLogForm(),
            "register_form": register_form or RegisterEnterpriseForm(initial={"uscc": profile.pending_uscc}),
        },
        status=status,
    )


@login_required
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "deepening.view_profile_list")
    profile = selectors.profile_get(user=request.user, profile_id=pk)
    return _render_detail(request, profile)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get(user=request.user, profile_id=pk)
    require_perm(request, "deepening.change_profile", profile)
    if request.method == "POST":
        form = ProfileEditForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(actor=request.user, profile=profile, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Enterprise profile saved."))
                return redirect(profile)
    else:
        initial = {f: getattr(profile, f) for f in PROFILE_FIELDS}
        initial["products_of_interest"] = ", ".join(profile.products_of_interest or [])
        form = ProfileEditForm(initial=initial)
    return render(request, "deepening/profile_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get(user=request.user, profile_id=pk)
    require_perm(request, "deepening.add_contact_log", profile)
    form = ContactLogForm(request.POST)
    if form.is_valid():
        try:
            services.contact_log_add(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact logged."))
            return redirect(profile)
    profile = selectors.profile_get(user=request.user, profile_id=pk)
    return _render_detail(request, profile, contact_form=form, status=400)


@login_required
@require_POST
def register_enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.profile_get(user=request.user, profile_id=pk)
    require_perm(request, "deepening.register_enterprise", profile)
    form = RegisterEnterpriseForm(request.POST)
    if form.is_valid():
        try:
            services.profile_register_enterprise(actor=request.user, profile=profile, uscc=form.cleaned_data["uscc"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The enterprise is registered in the directory."))
            return redirect(profile)
    profile = selectors.profile_get(user=request.user, profile_id=pk)
    return _render_detail(request, profile, register_form=form, status=400)
