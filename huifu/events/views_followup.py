"""Follow-up pages: the satisfaction survey, statistics (staff and co-organisers), a member
company's own participation, Excel exports, and a series' reminder and survey periods.

``events:survey_answer`` takes the signed survey token (``surveys.survey_token``): the link of the
invitation e-mail, and the "Rate the session" button of "My registrations", both land there. The
token alone proves the registration (no login needed); a logged-in user may only open their own."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record
from huifu.core import spreadsheets
from huifu.core.http import add_service_errors, form_submitted, require_perm

from . import selectors, statistics
from .exports_followup import participation_workbook, statistics_workbook
from .forms_followup import SeriesFollowupForm, SurveyForm
from .models import Registration
from .services import reminders, surveys

PAGE_SIZE = 50


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


# --- survey -------------------------------------------------------------------------------------


def _survey_registration(request: HttpRequest, token: str) -> Registration:
    try:
        registration_id = surveys.survey_registration_id(token)
    except surveys.SurveyTokenInvalid:
        raise Http404 from None
    registration = Registration.objects.select_related("person", "session__series").filter(pk=registration_id).first()
    if registration is None:
        raise Http404
    if request.user.is_authenticated and request.user.pk != registration.person_id:
        raise Http404  # someone else's link: answers like a missing one
    return registration


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    registration = _survey_registration(request, token)
    session = registration.session
    context: dict[str, Any] = {"registration": registration, "session": session, "token": token}
    try:
        surveys.survey_check_open(registration=registration)
    except surveys.SurveyError as exc:
        context["closed_reason"] = exc.messages[0]
        context["answered"] = exc.code == "already_answered"
        return render(request, "events/followup/survey.html", context)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            surveys.survey_answer_submit(
                actor=registration.person,
                registration=registration,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("events:survey_answer", token=token)
    context.update(form=form, closes_at=surveys.survey_closes_at(session))
    return render(request, "events/followup/survey.html", context)


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    pending = surveys.surveys_pending(user=request.user)
    for registration in pending:
        registration.survey_token = surveys.survey_token(registration)
    return render(request, "events/followup/my_surveys.html", {"pending": pending})


# --- statistics ---------------------------------------------------------------------------------


def _chosen_series(request: HttpRequest) -> tuple[list[Any], Any]:
    series_list = list(statistics.statistics_series(user=request.user, year=_year(request)))
    value = request.GET.get("series", "")
    if value:
        chosen = next((s for s in series_list if str(s.pk) == value), None)
        if chosen is None:
            raise Http404  # another's or missing: alike
        return series_list, chosen
    return series_list, (series_list[0] if series_list else None)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_statistics")
    series_list, chosen = _chosen_series(request)
    figures = statistics.series_figures(user=request.user, series=chosen) if chosen else None
    return render(
        request,
        "events/followup/statistics.html",
        {
            "series_list": series_list,
            "chosen": chosen,
            "result": figures,
            "questions": surveys.QUESTIONS,
            "can_manage": chosen is not None and request.user.has_perm("events.manage_followup", chosen),
        },
    )


@login_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_statistics")
    _, chosen = _chosen_series(request)
    if chosen is None:
        raise Http404
    result = statistics.series_figures(user=request.user, series=chosen)
    data = statistics_workbook(result, statistics.participant_rows(user=request.user, series=chosen))
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=chosen, message="investor-education statistics")
    return spreadsheets.download(data, f"events-statistics-{chosen.pk}.xlsx")


# --- a member company's participation -----------------------------------------------------------


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_participation")
    year = _year(request)
    qs = statistics.company_participation(user=request.user, year=year)
    return render(
        request,
        "events/followup/participation.html",
        {
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "summary": statistics.company_participation_summary(user=request.user, year=year),
            "year": year,
            "now": timezone.now(),
        },
    )


@login_required
def participation_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "events.view_participation")
    year = _year(request)
    data = participation_workbook(statistics.company_participation(user=request.user, year=year))
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=request.user.organisation,
        message="investor-education participation",
    )
    return spreadsheets.download(data, "events-participation.xlsx")


# --- series settings ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def series_followup(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "events.manage_followup")
    series = selectors.series_get(series_id=pk)
    fields = tuple(reminders.FOLLOWUP_LIMITS)
    form = SeriesFollowupForm(request.POST or None, initial={f: getattr(series, f) for f in fields})
    update = partial(reminders.series_followup_update, actor=request.user, series=series)
    if request.method == "POST" and form_submitted(request, form, update, success=_("Saved.")):
        return redirect(f"{reverse('events:statistics')}?series={series.pk}")
    return render(request, "events/followup/series_followup.html", {"form": form, "series": series})
