"""Member Management's page for departments, business areas and liaison people, and the
member-facing 'departments and liaison people' column."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import BusinessAreaForm, DepartmentForm, LiaisonForm, apply_errors
from ..xlsx import export_liaisons
from .common import form_page, require, xlsx_response

ADMIN_URL = "directory:departments"


@login_required
def liaisons(request: HttpRequest) -> HttpResponse:
    """The member-facing list (部门及联系人): active departments, their business areas, published people."""
    require(request, "directory.view_liaisons")
    page = selectors.liaison_page()
    return render(request, "directory/liaisons.html", {
        "page": page, "can_manage": request.user.has_perm("directory.manage_departments"),
    })  # fmt: skip


@login_required
def liaisons_export(request: HttpRequest) -> HttpResponse:
    require(request, "directory.view_liaisons")
    return xlsx_response(export_liaisons(selectors.liaison_page().departments), "liaisons")


@login_required
def departments(request: HttpRequest) -> HttpResponse:
    require(request, "directory.manage_departments")
    return render(request, "directory/departments.html", {"departments": list(selectors.departments_admin())})


def _save_form(
    request: HttpRequest, form: DepartmentForm | BusinessAreaForm | LiaisonForm, save: object, title: str, done: str
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)  # type: ignore[operator]
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(ADMIN_URL)
    return form_page(request, form=form, title=title, cancel_url=reverse(ADMIN_URL))


@login_required
def department_create(request: HttpRequest) -> HttpResponse:
    require(request, "directory.manage_departments")
    form = DepartmentForm(request.POST or None, initial={"is_active": True})
    return _save_form(
        request,
        form,
        lambda data: services.department_create(actor=request.user, data=data),
        _("New department"),
        _("The department was added."),
    )


@login_required
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    department = selectors.department_get(pk=pk)
    form = DepartmentForm(request.POST or None, instance=department)
    return _save_form(
        request,
        form,
        lambda data: services.department_update(actor=request.user, department=department, data=data),
        _("Edit %(name)s") % {"name": department.name_zh},
        _("The department was saved."),
    )


@login_required
def business_area_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    department = selectors.department_get(pk=pk)
    form = BusinessAreaForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda data: services.business_area_create(actor=request.user, department=department, **data),
        _("New business area of %(name)s") % {"name": department.name_zh},
        _("The business area was added."),
    )


@login_required
def business_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    area = selectors.business_area_get(pk=pk)
    form = BusinessAreaForm(request.POST or None, instance=area)
    return _save_form(
        request,
        form,
        lambda data: services.business_area_update(actor=request.user, business_area=area, data=data),
        _("Edit %(name)s") % {"name": area.name_zh},
        _("The business area was saved."),
    )


@login_required
def liaison_create(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    department = selectors.department_get(pk=pk)
    form = LiaisonForm(request.POST or None, department=department, initial={"is_published": True})
    return _save_form(
        request,
        form,
        lambda data: services.liaison_create(actor=request.user, department=department, **data),
        _("New liaison person of %(name)s") % {"name": department.name_zh},
        _("The liaison person was added."),
    )


@login_required
def liaison_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    liaison = selectors.liaison_get(pk=pk)
    form = LiaisonForm(request.POST or None, department=liaison.department, instance=liaison)
    return _save_form(
        request,
        form,
        lambda data: services.liaison_update(actor=request.user, liaison=liaison, data=data),
        _("Edit %(name)s") % {"name": liaison.name},
        _("The liaison person was saved."),
    )


@login_required
@require_POST
def liaison_publish(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    liaison = selectors.liaison_get(pk=pk)
    publish = request.POST.get("publish") == "1"
    services.liaison_publish(actor=request.user, liaison=liaison, published=publish)
    messages.success(
        request,
        _("The liaison person is now shown on the list.")
        if publish
        else _("The liaison person is now hidden from the list."),
    )
    return redirect(ADMIN_URL)


@login_required
@require_POST
def delete(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    require(request, "directory.manage_departments")
    if what == "business_area":
        services.business_area_delete(actor=request.user, business_area=selectors.business_area_get(pk=pk))
        messages.success(request, _("The business area was deleted."))
    else:
        services.liaison_delete(actor=request.user, liaison=selectors.liaison_get(pk=pk))
        messages.success(request, _("The liaison person was deleted."))
    return redirect(ADMIN_URL)


@login_required
@require_POST
def move(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    """The up/down buttons: move one department, business area or liaison person one place."""
    require(request, "directory.manage_departments")
    direction = "up" if request.POST.get("direction") == "up" else "down"
    if what == "department":
        selectors.department_get(pk=pk)
        order = services.move_in_order(selectors.department_order(), pk, direction)
        services.department_reorder(actor=request.user, ordered_ids=order)
    elif what == "business_area":
        department = selectors.business_area_get(pk=pk).department
        order = services.move_in_order(selectors.business_area_order(department=department), pk, direction)
        services.business_area_reorder(actor=request.user, department=department, ordered_ids=order)
    else:
        department = selectors.liaison_get(pk=pk).department
        order = services.move_in_order(selectors.liaison_order(department=department), pk, direction)
        services.liaison_reorder(actor=request.user, department=department, ordered_ids=order)
    return redirect(ADMIN_URL)
