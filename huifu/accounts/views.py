"""Pages: profile and tokens, user management, an organisation's security settings.
Thin: read through selectors, write through services, permissions from ``permissions.py``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import require_perm

from . import services
from .forms import OrgSecurityForm, ProfileForm, TokenCreateForm, UserCreateForm, UserEditForm, UserFilterForm
from .models import UserKind
from .selectors import has_active_totp, organisation_users_mfa, token_get, token_list, user_get, user_list

PAGE_SIZE = 50


def apply_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names (or on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- Profile and personal access tokens -------------------------------------------------------


def _profile_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    context = {
        "profile_form": ProfileForm(
            initial={"full_name": user.full_name, "phone": user.phone, "preferred_language": user.preferred_language}
        ),
        "token_form": TokenCreateForm(),
        "tokens": token_list(user=user),
        "has_totp": has_active_totp(user),
        "new_token": None,
        "new_token_raw": None,
        "now": timezone.now(),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                user = services.profile_update(user=request.user, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your profile was saved."))
                response = HttpResponseRedirect(reverse("accounts:profile"))
                language = user.preferred_language or settings.LANGUAGE_CODE
                translation.activate(language)
                response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
                return response
        return render(request, "accounts/profile.html", _profile_context(request, profile_form=form), status=400)
    return render(request, "accounts/profile.html", _profile_context(request))


def _tokens_response(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    context = _profile_context(request, **extra)
    template = "accounts/_tokens.html" if getattr(request, "htmx", False) else "accounts/profile.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "accounts.manage_own_tokens")
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at(), actor=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            # The raw value is in this response only; it is never stored or shown again.
            response = _tokens_response(request, new_token=token, new_token_raw=raw)
            response["Cache-Control"] = "no-store"
            return response
    return _tokens_response(request, status=400, token_form=form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    require_perm(request, "accounts.manage_own_tokens")
    token = token_get(user=request.user, token_id=token_id)
    try:
        services.token_revoke(token=token, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    if getattr(request, "htmx", False):
        return _tokens_response(request)
    return redirect("accounts:profile")


# --- User management --------------------------------------------------------------------------


@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, "accounts.view_user_list")
    filter_form = UserFilterForm(request.GET or None)
    users = user_list(actor=request.user, filters=filter_form.filters())
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/user_list.html",
        {"filter_form": filter_form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, "accounts.add_user")
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_create(
                    actor=request.user,
                    email=data["email"],
                    full_name=data["full_name"],
                    phone=data.get("phone", ""),
                    kind=data["kind"],
                    organisation=data.get("organisation"),
                    department=data.get("department"),
                    org_role=data.get("org_role", "") if data["kind"] != UserKind.STAFF else "",
                    is_department_head=data.get("is_department_head", False),
                    preferred_language=data.get("preferred_language", ""),
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The account for %(email)s was created; a link to set the password was e-mailed.")
                    % {"email": user.email},
                )
                return redirect("accounts:user_detail", user_id=user.pk)
        return render(request, "accounts/user_form.html", {"form": form}, status=400)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    require_perm(request, "accounts.view_user_list")
    target = user_get(actor=request.user, user_id=user_id)
    require_perm(request, "accounts.view_user", target)
    initial = {
        "full_name": target.full_name,
        "phone": target.phone,
        "org_role": target.org_role,
        "department": target.department_id,
        "is_department_head": target.is_department_head,
        "preferred_language": target.preferred_language,
    }
    form = UserEditForm(request.POST or None, initial=initial, actor=request.user, target=target)
    status = 200
    if request.method == "POST":
        require_perm(request, "accounts.change_user", target)
        if form.is_valid():
            try:
                services.user_update(user=target, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The account was saved."))
                return redirect("accounts:user_detail", user_id=target.pk)
        status = 400
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "form": form,
            "can_change": request.user.has_perm("accounts.change_user", target),
            "can_deactivate": request.user.has_perm("accounts.deactivate_user", target),
        },
        status=status,
    )


def _user_action(request: HttpRequest, user_id: int, action: Any, done: str) -> HttpResponse:
    require_perm(request, "accounts.view_user_list")
    target = user_get(actor=request.user, user_id=user_id)
    require_perm(request, "accounts.change_user", target)
    try:
        action(user=target, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:user_detail", user_id=target.pk)


@login_required
@require_POST
def user_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_action(
        request,
        user_id,
        services.user_deactivate,
        _("The account was deactivated; its sessions and API tokens no longer work."),
    )


@login_required
@require_POST
def user_reactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_action(request, user_id, services.user_reactivate, _("The account was reactivated."))


@login_required
@require_POST
def user_invite_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _user_action(
        request, user_id, services.user_resend_invitation, _("A new link to set the password was e-mailed.")
    )


# --- Organisation security --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def org_security(request: HttpRequest) -> HttpResponse:
    require_perm(request, "accounts.manage_org_security")
    organisation = request.user.organisation
    form = OrgSecurityForm(request.POST or None, initial={"require_mfa": organisation.require_mfa})
    if request.method == "POST" and form.is_valid():
        services.organisation_set_mfa_requirement(
            organisation=organisation, required=form.cleaned_data["require_mfa"], actor=request.user
        )
        if form.cleaned_data["require_mfa"]:
            messages.success(request, _("Every user of your organisation must now use two-factor authentication."))
        else:
            messages.success(request, _("Two-factor authentication is now optional for your organisation."))
        return redirect("accounts:org_security")
    return render(
        request,
        "accounts/org_security.html",
        {"organisation": organisation, "form": form, "members": organisation_users_mfa(organisation=organisation)},
    )
