"""Calendar pages: the year view and calculator for every logged-in user, editing for coordinators."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .engine import CHINA_TZ, end_of_day
from .forms import CalculatorForm, SpecialDayForm, YearPublishForm, apply_service_errors
from .grid import holiday_periods, year_grid
from .models import MAX_YEAR, MIN_YEAR, HolidayName, SpecialDayKind
from .selectors import calendar_snapshot, special_day_for_edit
from .sources import package_schedule, package_source

# Column heads of the month grids, Monday first (一 二 三 … in Chinese).
WEEKDAY_HEADERS = (
    pgettext_lazy("weekday column", "Mo"),
    pgettext_lazy("weekday column", "Tu"),
    pgettext_lazy("weekday column", "We"),
    pgettext_lazy("weekday column", "Th"),
    pgettext_lazy("weekday column", "Fr"),
    pgettext_lazy("weekday column", "Sa"),
    pgettext_lazy("weekday column", "Su"),
)


def permission_required(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous visitors go to the login page; a logged-in user without ``perm`` gets 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _today() -> datetime.date:
    return timezone.now().astimezone(CHINA_TZ).date()


def _year_or_404(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("year out of range")
    return year


def _date_or_404(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise Http404("not a date")
    _year_or_404(day.year)
    return day


def _year_url(year: int) -> str:
    return reverse("workdays:year", args=[year])


@require_http_methods(["GET", "HEAD"])
@permission_required("workdays.view_calendar")
def calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    today = _today()
    year = _year_or_404(year if year is not None else today.year)
    snapshot = calendar_snapshot()
    special_days = [
        {
            "day": day,
            "kind": entry.kind,
            "holiday_label": entry.holiday_label,
            "is_makeup": entry.kind == SpecialDayKind.MAKEUP_WORKDAY,
        }
        for day, entry in snapshot.special_days(year)
    ]
    context = {
        "year": year,
        "schedule": snapshot.year(year),
        "months": year_grid(snapshot, year, today),
        "weekday_headers": WEEKDAY_HEADERS,
        "special_days": special_days,
        "periods": holiday_periods(snapshot, year),
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "can_edit": request.user.has_perm("workdays.change_calendar"),
        "calculator_form": CalculatorForm(initial={"start": today, "days": 2}),
    }
    return render(request, "workdays/calendar.html", context)


@require_http_methods(["GET", "HEAD"])
@permission_required("workdays.view_calendar")
def calculator(request: HttpRequest) -> HttpResponse:
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
        try:
            outcome = services.add_working_days(start, days)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            result = {
                "start": start,
                "days": days,
                "date": outcome.date,
                "info": services.day_info(outcome.date),
                "due_at": end_of_day(outcome.date),
                "warnings": outcome.warnings,
            }
    return render(request, "workdays/calculator.html", {"form": form, "result": result})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("workdays.change_calendar")
def special_day_add(request: HttpRequest) -> HttpResponse:
    return _special_day_form(request, existing_day=None)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("workdays.change_calendar")
def special_day_edit(request: HttpRequest, day: str) -> HttpResponse:
    return _special_day_form(request, existing_day=_date_or_404(day))


def _special_day_form(request: HttpRequest, existing_day: datetime.date | None) -> HttpResponse:
    existing = special_day_for_edit(user=request.user, day=existing_day) if existing_day else None
    if existing_day is not None and existing is None:
        raise Http404("no special day on that date")
    if existing is not None:
        initial: dict[str, Any] = {
            "day": existing.day,
            "kind": existing.kind,
            "holiday": existing.holiday,
            "note": existing.note,
        }
    else:
        initial = {"kind": SpecialDayKind.HOLIDAY, "holiday": HolidayName.SPRING_FESTIVAL}
        with contextlib.suppress(ValueError):
            initial["day"] = datetime.date.fromisoformat(request.GET.get("day", ""))
    form = SpecialDayForm(request.POST or None, initial=initial, fixed_day=existing is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            special = services.special_day_set(
                day=data["day"], kind=data["kind"], holiday=data["holiday"], note=data["note"], actor=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(date)s saved.") % {"date": special.day.isoformat()})
            return redirect(_year_url(special.day.year))
    return render(request, "workdays/special_day_form.html", {"form": form, "existing": existing})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("workdays.change_calendar")
def special_day_remove(request: HttpRequest, day: str) -> HttpResponse:
    existing = special_day_for_edit(user=request.user, day=_date_or_404(day))
    if existing is None:
        raise Http404("no special day on that date")
    if request.method == "POST":
        services.special_day_remove(day=existing.day, actor=request.user)
        messages.success(request, _("%(date)s is an ordinary day again.") % {"date": existing.day.isoformat()})
        return redirect(_year_url(existing.day.year))
    return render(request, "workdays/special_day_remove.html", {"special": existing})


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("workdays.change_calendar")
def year_publish(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    schedule = calendar_snapshot().year(year)
    form = YearPublishForm(request.POST or None, initial={"source": schedule.source, "notes": schedule.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_year_publish(
                year=year, source=form.cleaned_data["source"], notes=form.cleaned_data["notes"], actor=request.user
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The %(year)s schedule is published.") % {"year": year})
            return redirect(_year_url(year))
    return render(request, "workdays/year_publish.html", {"form": form, "year": year, "schedule": schedule})


@require_POST
@permission_required("workdays.change_calendar")
def year_unpublish(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    services.calendar_year_unpublish(year=year, actor=request.user)
    messages.warning(request, _("%(year)s is marked as not published: its dates are provisional.") % {"year": year})
    return redirect(_year_url(year))


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("workdays.change_calendar")
def year_import(request: HttpRequest, year: int) -> HttpResponse:
    year = _year_or_404(year)
    package_days = package_schedule(year)
    error = ""
    if request.method == "POST":
        try:
            services.calendar_year_import(year=year, actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("%(year)s imported from %(source)s.") % {"year": year, "source": package_source()}
            )
            return redirect(_year_url(year))
    context = {
        "year": year,
        "source": package_source(),
        "package_days": package_days,
        "holiday_count": sum(1 for d in package_days if d.kind == SpecialDayKind.HOLIDAY),
        "makeup_count": sum(1 for d in package_days if d.kind == SpecialDayKind.MAKEUP_WORKDAY),
        "current_count": len(calendar_snapshot().special_days(year)),
        "error": error,
    }
    return render(request, "workdays/year_import.html", context, status=400 if error else 200)
