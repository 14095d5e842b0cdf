"""Event pages. Thin: parse input, call a selector or a service, render.

Management pages need a login; the ``public_*`` pages answer anyone and show published
sessions only (never the online link)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm

from . import ics, selectors, services, views_desk
from .filters import SessionFilter
from .forms import CancelForm, SeriesForm, SessionForm
from .models import SESSION_FIELDS, RegistrationState, SessionState
from .progress import registration_progress
from .tickets import ticket_svg, ticket_token

PAGE_SIZE = 25


def _querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


# --- public -------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    qs = selectors.public_session_list(when=when, today=timezone.localdate())
    return render(
        request,
        "events/public/list.html",
        {"page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")), "when": when},
    )


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.public_session_get(session_id=pk)
    user = request.user
    context: dict[str, Any] = {"session": session}
    if user.is_authenticated:
        registrations = list(selectors.session_registrations(user=user, session=session))
        context.update(
            registrations=[r for r in registrations if r.state in RegistrationState.active()],
            registered=any(r.person_id == user.pk and r.state in RegistrationState.active() for r in registrations),
            can_register=user.has_perm("events.register") and timezone.now() < session.closes_at,
            colleagues=selectors.colleagues(user=user) if user.has_perm("events.register_colleague") else [],
            show_link=any(r.person_id == user.pk and r.state == RegistrationState.CONFIRMED for r in registrations),
        )
    return render(request, "events/public/detail.html", context)


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def public_session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.public_session_get(session_id=pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics_response(ics.session_calendar(session, base), f"session-{session.pk}.ics")


def public_series_ics(request: HttpRequest, pk: int) -> HttpResponse:
    series, sessions = selectors.public_series_sessions(series_id=pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics_response(ics.series_calendar(series, sessions, base), f"series-{series.pk}.ics")


# --- management ---------------------------------------------------------------------------------


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_session_list")
    filters = page_filter(SessionFilter, request, selectors.session_list(user=request.user))
    return render(
        request,
        "events/session_list.html",
        {
            "form": filters.form,
            "page": Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": _querystring_without_page(request),
            "can_plan": request.user.has_perm("events.view_plan"),
            "can_add": request.user.has_perm("events.add_session"),
        },
    )


@login_required
def series_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_plan")
    return render(
        request,
        "events/series_list.html",
        {
            "series_list": selectors.series_list(year=_year(request)),
            "can_manage": request.user.has_perm("events.manage_series"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, "events.manage_series")
    series = selectors.series_get(series_id=pk) if pk else None
    initial = (
        {f: getattr(series, f) for f in ("year", "kind", "title_zh", "title_en", "description", "offer_working_days")}
        if series
        else {"year": timezone.localdate().year, "offer_working_days": 1}
    )
    form = SeriesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if series is None:
                series = services.series_create(actor=request.user, **form.cleaned_data)
            else:
                series = services.series_update(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Series saved."))
            return redirect(series.get_absolute_url())
    return render(request, "events/series_form.html", {"form": form, "series": series})


@login_required
def series_plan(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "events.view_plan")
    series = selectors.series_get(series_id=pk)
    months = selectors.series_plan(user=request.user, series=series)
    return render(
        request,
        "events/series_plan.html",
        {
            "series": series,
            "months": months,
            "gaps": [m.month for m in months if m.gap],
            "can_manage": request.user.has_perm("events.manage_series"),
            "can_add": request.user.has_perm("events.add_session"),
        },
    )


def _session_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    kwargs = {name: data[name] for name in SESSION_FIELDS if name in data}
    for name in ("products", "speakers", "co_organisers"):
        if name in data:
            kwargs[name] = list(data[name])
    return kwargs


def _warn(request: HttpRequest, session: Any) -> None:
    for warning in selectors.date_warnings(session.date):
        messages.warning(request, warning)


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.add_session")
    series_id = request.GET.get("series", "")
    series = selectors.series_get(series_id=int(series_id)) if series_id.isdigit() else None
    if series is None:
        messages.info(request, _("Choose the series first."))
        return redirect("events:series_list")
    form = SessionForm(request.POST or None, series_kind=series.kind)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(actor=request.user, series=series, **_session_kwargs(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session saved as a draft."))
            _warn(request, session)
            return redirect(session.get_absolute_url())
    return render(request, "events/session_form.html", {"form": form, "series": series, "session": None})


def _get(request: HttpRequest, pk: int) -> Any:
    require_perm(request, "events.view_session_list")
    return selectors.session_get(user=request.user, session_id=pk)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get(request, pk)
    user = request.user
    can_publish = user.has_perm("events.publish_session", session)
    return render(
        request,
        "events/session_detail.html",
        {
            "session": session,
            "warnings": selectors.date_warnings(session.date),
            "can_edit": session.state in SessionState.editable() and user.has_perm("events.change_session", session),
            "can_publish": can_publish and session.state == SessionState.DRAFT,
            "can_withdraw": can_publish and session.state == SessionState.PUBLISHED,
            "can_cancel": can_publish and session.state == SessionState.PUBLISHED,
            "cancel_form": CancelForm(),
            "registrations": selectors.session_registrations(user=user, session=session),
            "seats_taken": selectors.seats_taken(session=session),
            "can_moderate": user.has_perm("events.moderate_registration", session),
            "can_check_in": user.has_perm("events.check_in", session),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get(request, pk)
    require_perm(request, "events.change_session", session)
    manager = request.user.has_perm("events.add_session")
    initial = {name: getattr(session, name) for name in SESSION_FIELDS}
    initial.update(
        products=list(session.products.all()),
        speakers=list(session.speakers.all()),
        co_organisers=list(session.co_organisers.all()),
    )
    form = SessionForm(request.POST or None, initial=initial, series_kind=session.series.kind, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(actor=request.user, session=session, **_session_kwargs(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session saved."))
            _warn(request, session)
            return redirect(session.get_absolute_url())
    return render(request, "events/session_form.html", {"form": form, "series": session.series, "session": session})


def _state_action(request: HttpRequest, pk: int, action: Any, success: str, **kwargs: Any) -> HttpResponse:
    session = _get(request, pk)
    require_perm(request, "events.publish_session", session)
    try:
        action(actor=request.user, session=session, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def session_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_action(request, pk, services.session_publish, _("Session published."))


@login_required
@require_POST
def session_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _state_action(request, pk, services.session_withdraw, _("Session taken back to draft."))


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = CancelForm(request.POST)
    if not form.is_valid():
        session = _get(request, pk)
        require_perm(request, "events.publish_session", session)
        messages.error(request, _("Give a reason for the cancellation."))
        return redirect(session.get_absolute_url())
    return _state_action(
        request, pk, services.session_cancel, _("Session cancelled."), reason=form.cleaned_data["reason"]
    )


# --- registrations ------------------------------------------------------------------------------


# session_register: views_registration.py


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    qs = selectors.my_registrations(user=request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for registration in page.object_list:
        # The ticket (QR) is shown to the person only, for a confirmed registration.
        if registration.person_id == request.user.pk and registration.state == RegistrationState.CONFIRMED:
            registration.ticket_svg = ticket_svg(registration)
            registration.ticket_token = ticket_token(registration)
    return render(request, "events/my_registrations.html", {"page": page})


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One registration: where it stands (stepper), the offer's deadline, the ticket for the person."""
    registration = selectors.registration_get(user=request.user, registration_id=pk)
    if registration.person_id == request.user.pk and registration.state == RegistrationState.CONFIRMED:
        registration.ticket_svg = ticket_svg(registration)
        registration.ticket_token = ticket_token(registration)
    return render(
        request,
        "events/registration/detail.html",
        {
            "registration": registration,
            "stepper": registration_progress(registration, user=request.user),
            "can_cancel": registration.is_active and request.user.has_perm("events.cancel_registration", registration),
        },
    )


def _registration_action(request: HttpRequest, pk: int, action: Any, **kwargs: Any) -> HttpResponse:
    registration = selectors.registration_get(user=request.user, registration_id=pk)
    try:
        registration = action(actor=request.user, registration=registration, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s: %(state)s.") % {"name": registration.person, "state": registration.get_state_display()},
        )
    target = request.POST.get("next", "")
    if target not in (registration.session.get_absolute_url(), registration.session.get_public_url()):
        target = "events:my_registrations"
    return redirect(target)


@login_required
@require_POST
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_action(request, pk, services.registration_cancel)


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_action(request, pk, services.registration_approve)


@login_required
@require_POST
def registration_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_action(request, pk, services.registration_refuse)


@login_required
@require_POST
def registration_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_action(request, pk, services.registration_offer_accept)


# --- tickets and check-in -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def session_desk(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in desk: a USB scanner types the ticket into the focused field; or look people up
    by name or phone and check them in by hand. A second scan says when and where it was done."""
    session = _get(request, pk)
    require_perm(request, "events.check_in", session)
    desk = (request.POST.get("desk") or request.GET.get("desk") or "").strip()[:40]
    if request.method == "POST":
        registration_id = request.POST.get("registration", "")
        try:
            result = services.checkin_record(
                actor=request.user,
                session=session,
                desk=desk,
                token=request.POST.get("token", "").strip(),
                registration_id=int(registration_id) if registration_id.isdigit() else None,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            name = result.check_in.registration.person
            if result.already:
                messages.warning(
                    request,
                    _("%(name)s: already checked in at %(time)s by %(desk)s.")
                    % {
                        "name": name,
                        "time": timezone.localtime(result.check_in.checked_in_at).strftime("%H:%M"),
                        "desk": result.check_in.desk,
                    },
                )
            else:
                messages.success(request, _("%(name)s: checked in.") % {"name": name})
        return redirect(f"{request.path}?desk={desk}" if desk else request.path)
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.desk_lookup(session=session, query=query) if query else []
    return render(
        request,
        "events/desk.html",
        {
            "session": session,
            "desk": desk,
            "query": query,
            "found": found,
            "desk_texts": views_desk.desk_texts(),
            **selectors.desk_counts(session=session),
        },
    )
