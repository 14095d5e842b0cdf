"""Organisation and contact pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huifu.accounts.predicates import is_staff_user
from huifu.core.filters import page_filter

from .. import selectors, services
from ..filters import OrganisationListFilter
from ..forms import ContactForm, OrganisationForm, ReasonForm, apply_errors
from ..permissions import (
    ORGANISATION_CONTACT_FIELDS,
    ORGANISATION_REGISTRATION_FIELDS,
    organisation_editable_fields,
)
from .common import form_page, require

PAGE_SIZE = 50


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    require(request, "directory.view_organisation_list")
    filters = page_filter(OrganisationListFilter, request, selectors.organisation_list(user=request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return render(request, "directory/organisation_list.html", {
        "page": page,
        "filter_form": filters.form,
        "show_filters": is_staff_user(request.user),
        "query": query,
        "can_add": request.user.has_perm("directory.add_organisation"),
        "can_import": request.user.has_perm("directory.import_directory"),
    })  # fmt: skip


def _history_url(organisation: object) -> str | None:
    try:
        return reverse("audit:history", args=["directory", "organisation", organisation.pk])  # type: ignore[attr-defined]
    except NoReverseMatch:
        return None


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    user = request.user
    return render(request, "directory/organisation_detail.html", {
        "organisation": organisation,
        "contacts": list(selectors.organisation_contacts(organisation=organisation)),
        "users": list(selectors.organisation_users(organisation=organisation)),
        "can_edit": bool(organisation_editable_fields(user, organisation)),
        "can_suspend": user.has_perm("directory.suspend_organisation", organisation),
        "can_add_contact": user.has_perm("directory.add_contact", organisation),
        "history_url": _history_url(organisation) if is_staff_user(user) else None,
        "reason_form": ReasonForm(),
    })  # fmt: skip


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    require(request, "directory.add_organisation")
    fields = ORGANISATION_REGISTRATION_FIELDS + ORGANISATION_CONTACT_FIELDS
    form = OrganisationForm(request.POST or None, fields=fields)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation was registered."))
            return redirect("directory:organisation_detail", pk=organisation.pk)
    return form_page(request, form=form, title=_("New organisation"), cancel_url=reverse("directory:organisation_list"))


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    fields = organisation_editable_fields(request.user, organisation)
    if not fields:
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, fields=fields, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=request.user, organisation=organisation, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("directory:organisation_detail", pk=organisation.pk)
    return form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": organisation.name_zh},
        cancel_url=reverse("directory:organisation_detail", args=[organisation.pk]),
    )


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require(request, "directory.suspend_organisation", organisation)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    service = services.organisation_suspend if action == "suspend" else services.organisation_reactivate
    try:
        service(actor=request.user, organisation=organisation, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The organisation was suspended.") if action == "suspend" else _("The organisation was reactivated."),
        )
    return redirect("directory:organisation_detail", pk=organisation.pk)


@login_required
@require_POST
def organisation_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "suspend")


@login_required
@require_POST
def organisation_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "reactivate")


# --- contacts ------------------------------------------------------------------------------------


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require(request, "directory.add_contact", organisation)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The contact was added."))
            return redirect("directory:organisation_detail", pk=organisation.pk)
    return form_page(
        request,
        form=form,
        title=_("New contact of %(name)s") % {"name": organisation.name_zh},
        cancel_url=reverse("directory:organisation_detail", args=[organisation.pk]),
    )


@login_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    require(request, "directory.change_contact", contact)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, data=form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("directory:organisation_detail", pk=contact.organisation_id)
    return form_page(
        request,
        form=form,
        title=_("Edit contact %(name)s") % {"name": contact.name},
        cancel_url=reverse("directory:organisation_detail", args=[contact.organisation_id]),
    )


@login_required
@require_POST
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_get(user=request.user, pk=pk)
    require(request, "directory.delete_contact", contact)
    org_pk = contact.organisation_id
    services.contact_delete(actor=request.user, contact=contact)
    messages.success(request, _("The contact was removed."))
    return redirect("directory:organisation_detail", pk=org_pk)
