"""Pages of session materials and their compliance review. Thin: a selector or a service each.

The download answers anyone the material is visible to (public materials need no login) and
404 to everyone else, withdrawn materials included."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm
from huifu.files.views import file_response

from . import selectors
from . import selectors_materials as materials
from .forms_materials import MaterialForm, ReviewForm, WithdrawForm
from .models import MaterialState
from .services import materials as services

PAGE_SIZE = 50


def _service_error(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def material_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, session_id=pk)
    require_perm(request, "events.upload_material", session)
    form = MaterialForm(request.POST or None, request.FILES or None, uploader=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = services.material_create(
                actor=request.user,
                session=session,
                kind=data["kind"],
                title=data["title"],
                audience=data["audience"],
                upload=data["upload"],
                link=data["link"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved as a draft. Submit it for the compliance review when it is ready."))
            return redirect(material.get_absolute_url())
    return render(request, "events/materials/form.html", {"form": form, "session": session})


@login_required
@require_http_methods(["GET", "POST"])
def material_edit(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.material_get(user=request.user, material_id=pk)
    require_perm(request, "events.change_material", material)
    initial = {"kind": material.kind, "title": material.title, "audience": material.audience, "link": material.link}
    form = MaterialForm(
        request.POST or None, request.FILES or None, initial=initial, editing=True, uploader=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = services.material_update(
                actor=request.user,
                material=material,
                title=data["title"],
                audience=data["audience"],
                upload=data["upload"],
                link=data["link"] if data["link"] != material.link else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Material saved."))
            return redirect(material.get_absolute_url())
    return render(
        request, "events/materials/form.html", {"form": form, "session": material.session, "material": material}
    )


@login_required
@require_GET
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.material_get(user=request.user, material_id=pk)
    user = request.user
    can_change = user.has_perm("events.change_material", material)
    reviewer = user.has_perm("events.view_material_queue")
    items = materials.checklist_items() if reviewer and material.state == MaterialState.SUBMITTED else []
    return render(
        request,
        "events/materials/detail.html",
        {
            "material": material,
            "session": material.session,
            "can_edit": can_change and material.state in MaterialState.editable(),
            "can_submit": can_change and material.state in MaterialState.editable(),
            "can_withdraw": can_change and material.state != MaterialState.WITHDRAWN,
            "can_review": material.state == MaterialState.SUBMITTED and materials.is_reviewer_of(user, material),
            "own_material": reviewer and material.uploaded_by_id == user.pk,
            "review_form": ReviewForm(items=items, language=get_language()),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def material_submit(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.material_get(user=request.user, material_id=pk)
    require_perm(request, "events.change_material", material)
    try:
        services.material_submit(actor=request.user, material=material)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Submitted for the compliance review."))
    return redirect(material.get_absolute_url())


@login_required
@require_POST
def material_review(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.material_get(user=request.user, material_id=pk)
    require_perm(request, "events.view_material_queue")
    items = materials.checklist_items()
    form = ReviewForm(request.POST, items=items, language=get_language())
    decision = request.POST.get("decision")
    if form.is_valid() and decision in ("approve", "return"):
        data = form.cleaned_data
        try:
            if decision == "approve":
                services.material_approve(
                    actor=request.user, material=material, ticked=data["ticked"], note=data["note"]
                )
                messages.success(request, _("Approved: the material is published to its audience."))
            else:
                services.material_return(
                    actor=request.user, material=material, reason=data["note"], ticked=data["ticked"]
                )
                messages.success(request, _("Returned to the uploader with your reason."))
        except ValidationError as exc:
            _service_error(request, exc)
    else:
        messages.error(request, _("Choose to approve or to return the material."))
    return redirect(material.get_absolute_url())


@login_required
@require_POST
def material_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    material = materials.material_get(user=request.user, material_id=pk)
    require_perm(request, "events.change_material", material)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.material_withdraw(actor=request.user, material=material, reason=reason)
    except ValidationError as exc:
        _service_error(request, exc)
    else:
        messages.success(request, _("Withdrawn: the material is no longer shown or downloadable."))
    return redirect(material.get_absolute_url())


@require_GET
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = materials.material_for_download(user=request.user, material_id=pk)
    return file_response(material.file)


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_material_queue")
    page = Paginator(materials.review_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "events/materials/queue.html", {"page": page})
