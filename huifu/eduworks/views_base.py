"""The investor-education base dashboard (staff): the rating figures of one year with their
definitions, an "as of" time, a chart and a table per figure, entering the base's monthly
figures, and the Excel export (``huifu.core.spreadsheets``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from huifu.core import spreadsheets
from huifu.core.http import add_service_errors, require_perm
from huifu.incentives import charts

from . import services
from .dashboard import DEFINITIONS, base_dashboard, dashboard_years
from .forms import BaseFigureForm, YearForm
from .models import BaseMonthlyFigure


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    return year or timezone.localdate().year


def _render(request: HttpRequest, year: int, form: BaseFigureForm | None = None, status: int = 200) -> HttpResponse:
    data = base_dashboard(year=year)
    labels = [f"{m.month:%m}" for m in data.months]
    charts_ = {
        "visitors": charts.line_chart(
            labels,
            [
                (pgettext("eduworks", "Visitors"), [m.visitors for m in data.months]),
                (pgettext("eduworks", "Visits"), [m.visits for m in data.months]),
                (_("Event attendance"), [m.attendance for m in data.months]),
            ],
            title=_("Visitors, visits and event attendance per month"),
        ),
        "published": charts.bar_chart(
            [(label, m.published) for label, m in zip(labels, data.months, strict=True)],
            title=_("Items published per month"),
        ),
        "products": charts.bar_chart(data.products_by_kind, title=_("Education products by kind")),
        "satisfaction": charts.bar_chart(
            [(label, m.satisfaction or 0) for label, m in zip(labels, data.months, strict=True)],
            title=_("Satisfaction per month (%)"),
        ),
    }
    return render(
        request,
        "eduworks/dashboard.html",
        {
            "data": data,
            "year": year,
            "years": dashboard_years(),
            "definitions": DEFINITIONS,
            "charts": charts_,
            "form": form or BaseFigureForm(),
            "figures": BaseMonthlyFigure.objects.filter(month__year=year).select_related("entered_by"),
            "can_enter": request.user.has_perm("eduworks.enter_base_figures"),
        },
        status=status,
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_perm(request, "eduworks.view_dashboard")
    return _render(request, _year(request))


@login_required
@require_POST
def base_figure_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, "eduworks.enter_base_figures")
    form = BaseFigureForm(request.POST)
    year = timezone.localdate().year
    if form.is_valid():
        year = form.cleaned_data["month"].year
        try:
            services.base_figure_record(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Base figures saved."))
            return redirect(f"{reverse('eduworks:dashboard')}?year={year}")
    return _render(request, year, form=form, status=400)


@login_required
@require_POST
def base_figure_remove(request: HttpRequest, figure_id: int) -> HttpResponse:
    require_perm(request, "eduworks.enter_base_figures")
    figure = get_object_or_404(BaseMonthlyFigure, pk=figure_id)
    year = figure.month.year
    services.base_figure_remove(actor=request.user, figure=figure)
    messages.success(request, _("Base figures removed."))
    return redirect(f"{reverse('eduworks:dashboard')}?year={year}")


@login_required
@require_GET
def dashboard_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "eduworks.view_dashboard")
    data = base_dashboard(year=_year(request))
    book = spreadsheets.workbook()
    sheet = book.active
    sheet.title = _("Per month")
    spreadsheets.append(
        sheet,
        [
            _("Investor-education base"),
            data.year,
            _("As of"),
            timezone.localtime(data.as_of).strftime("%Y-%m-%d %H:%M"),
        ],
    )
    spreadsheets.append(
        sheet,
        [
            _("Month"),
            _("Visitors (physical)"),
            _("Visits (physical)"),
            _("Visitors (online)"),
            _("Visits (online)"),
            _("Event attendance"),
            _("Items published"),
            _("Views"),
            _("Plays"),
            _("Answers"),
            _("Satisfied"),
            _("Satisfaction (%)"),
        ],
    )
    for m in data.months:
        spreadsheets.append(
            sheet,
            [
                f"{m.month:%Y-%m}",
                m.physical_visitors,
                m.physical_visits,
                m.online_visitors,
                m.online_visits,
                m.attendance,
                m.published,
                m.views,
                m.plays,
                m.answers,
                m.satisfied,
                float(m.satisfaction) if m.satisfaction is not None else None,
            ],
        )
    products = book.create_sheet(_("Education products"))
    spreadsheets.append(products, [_("Kind"), _("Works in publication")])
    for label, count in data.products_by_kind:
        spreadsheets.append(products, [label, count])
    spreadsheets.append(products, [_("Total"), data.products_total])
    notes = book.create_sheet(_("Definitions"))
    for key, text in DEFINITIONS.items():
        spreadsheets.append(notes, [key, str(text)])
    return spreadsheets.download(spreadsheets.to_bytes(book), f"投教基地指标-{data.year}.xlsx")
