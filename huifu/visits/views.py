"""Visit pages. Thin: parse input, call a selector or a service, render.

Everyone concerned: ``list``, ``detail``, ``ics``. Requesters: ``create``, ``confirm``,
``change``, ``cancel``. Staff: ``register_letter``; Member Management: ``arrange``, ``hold``,
``cancel``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm

from . import selectors, services
from .filters import VisitFilter
from .forms import ArrangeForm, HoldForm, LetterForm, ReasonForm, VisitRequestForm
from .ics import visit_calendar
from .progress import visit_progress

PAGE_SIZE = 20
REQUEST_FIELDS = (
    "purpose",
    "proposed_dates",
    "visitors",
    "visitor_count",
    "topics",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "visits.view_visit_list")
    filters = page_filter(VisitFilter, request, selectors.visit_list_for_user(user=request.user))
    form, qs = filters.form, filters.qs
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines = selectors.visit_deadlines(list(page.object_list))
    for visit in page.object_list:
        visit.deadline = deadlines.get(visit.pk)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "visits/list.html",
        {
            "form": form,
            "page": page,
            "querystring": params.urlencode(),
            "can_request": request.user.has_perm("visits.add_visit_request"),
            "can_register": request.user.has_perm("visits.register_letter"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "visits.add_visit_request")
    user = request.user
    if request.method == "POST":
        form = VisitRequestForm(request.POST)
        if form.is_valid():
            try:
                visit = services.visit_request_submit(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _("Your visit request is sent. Member Management will arrange it within 2 working days.")
                )
                return redirect(visit)
    else:
        form = VisitRequestForm(
            initial={"contact_name": user.full_name, "contact_email": user.email, "contact_phone": user.phone}
        )
    return render(request, "visits/form.html", {"form": form, "title": _("Ask to visit the exchange")})


@login_required
@require_http_methods(["GET", "POST"])
def visit_register_letter(request: HttpRequest) -> HttpResponse:
    require_perm(request, "visits.register_letter")
    if request.method == "POST":
        form = LetterForm(request.POST, request.FILES, uploader=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_letter_register(
                    actor=request.user,
                    organisation=data["organisation"],
                    letter=data["letter"],
                    received_at=data["received_at"],
                    **{name: data[name] for name in REQUEST_FIELDS},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The visit letter is registered."))
                return redirect(visit)
    else:
        form = LetterForm()
    return render(request, "visits/form.html", {"form": form, "title": _("Register a visit letter"), "multipart": True})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "visits.view_visit_list")
    visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
    user = request.user
    rounds = list(visit.rounds.all())
    deadlines = selectors.visit_deadlines([visit])
    from huifu.tracking.services import tracked_for

    for round_ in rounds:
        round_.deadline = tracked_for(round_, services.TRACKING_KIND)
    status = visit.status
    context = {
        "visit": visit,
        "rounds": rounds,
        "deadline": deadlines.get(visit.pk),
        "attendees": list(visit.attendees.all()),
        "can_arrange": status in services.VISIT_TRANSITIONS_ARRANGE and user.has_perm("visits.arrange_visit", visit),
        "can_respond": status in ("arranged", "confirmed") and user.has_perm("visits.respond_visit", visit),
        "can_confirm": status == "arranged" and user.has_perm("visits.respond_visit", visit),
        "can_hold": status == "confirmed" and user.has_perm("visits.hold_visit", visit),
        "can_cancel": visit.is_open and user.has_perm("visits.cancel_visit", visit),
        "reason_form": ReasonForm(),
        "hold_form": HoldForm(),
    }
    context["stepper"] = stepper = visit_progress(visit, flags=context, deadline=context["deadline"])
    context["arrange_is_next"] = bool(stepper.action and stepper.action.url == reverse("visits:arrange", args=[pk]))
    return render(request, "visits/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_arrange(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
    require_perm(request, "visits.arrange_visit", visit)
    if request.method == "POST":
        form = ArrangeForm(request.POST)
        if form.is_valid():
            try:
                services.visit_arrange(actor=request.user, visit=visit, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The reception is arranged; the invitation is being e-mailed."))
                return redirect(visit)
    else:
        initial: dict[str, Any] = {"place": visit.place, "agenda": visit.agenda}
        if visit.has_arrangement:
            initial.update(starts_at=visit.starts_at, ends_at=visit.ends_at, attendees=list(visit.attendees.all()))
        form = ArrangeForm(initial=initial)
    return render(request, "visits/arrange.html", {"form": form, "visit": visit})


def _respond(
    request: HttpRequest, pk: int, perm: str, action: Any, success: str, form_class: Any = None
) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
    require_perm(request, perm, visit)
    kwargs: dict[str, Any] = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect(visit)
        kwargs = form.cleaned_data
    try:
        action(actor=request.user, visit=visit, **kwargs)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, success)
    return redirect(visit)


@login_required
@require_POST
def visit_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(
        request, pk, "visits.respond_visit", services.visit_confirm, _("Thank you: the visit is confirmed.")
    )


@login_required
@require_POST
def visit_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(
        request,
        pk,
        "visits.respond_visit",
        services.visit_request_change,
        _("Your request for a change is sent to Member Management."),
        ReasonForm,
    )


@login_required
@require_POST
def visit_hold(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(
        request, pk, "visits.hold_visit", services.visit_hold, _("The visit is recorded as held."), HoldForm
    )


@login_required
@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, pk, "visits.cancel_visit", services.visit_cancel, _("The visit is cancelled."), ReasonForm)


@login_required
def visit_ics(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "visits.view_visit_list")
    visit = selectors.visit_get_for_user(user=request.user, visit_id=pk)
    if not visit.has_arrangement:
        raise Http404("visit not arranged")
    response = HttpResponse(visit_calendar(visit), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="visit-{visit.pk}.ics"'
    return response
