"""Dashboard pages: the management dashboard, a department's, a member company's, a regulator's,
the public figures page, their Excel and PDF exports, and the definitions page. Thin: the scope
comes from who the user is (``selectors.scope_for``), the figures from ``figures.dashboard``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from huifu.core import spreadsheets
from huifu.core.http import add_service_errors, require_perm

from . import charts, exports, services
from .defaults import DEFINITIONS, FIRST_EDITION_YEAR
from .definitions import definitions_for, public_minimum
from .figures import Dashboard, Scope, dashboard
from .forms import DefinitionForm, ThresholdForm, YearForm
from .public import suppressed
from .selectors import scope_for, views_for

TITLES = {
    "management": pgettext_lazy("dashboards", "The year at a glance"),
    "department": pgettext_lazy("dashboards", "My department's year"),
    "company": pgettext_lazy("dashboards", "My company's year"),
    "region": pgettext_lazy("dashboards", "Enterprise plans in my region"),
    "public": pgettext_lazy("dashboards", "Public figures"),
}


def year_of(request: HttpRequest) -> tuple[int, str]:
    """The year asked for (this year when none) and the problem with the input, if any."""
    form = YearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data.get("year") or timezone.localdate().year, ""
    return timezone.localdate().year, " ".join(form.errors["year"])


def years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_EDITION_YEAR - 1, -1))


def _scope_name(request: HttpRequest, view: str) -> Any:
    if view == "department":
        return request.user.department
    if view in ("company", "region"):
        return request.user.organisation
    return None


def load(request: HttpRequest, view: str, year: int) -> tuple[Dashboard, Scope]:
    if view == "public":
        scope = Scope("public")
        return suppressed(dashboard(year=year, scope=scope), public_minimum(year)), scope
    scope = scope_for(request.user, view)
    return dashboard(year=year, scope=scope, user=request.user), scope


def _page(request: HttpRequest, view: str) -> HttpResponse:
    year, problem = year_of(request)
    if problem:
        messages.error(request, problem)
    data, _scope = load(request, view, year)
    definitions = definitions_for(year)
    panels = [
        {
            "panel": p,
            "chart": charts.render(p),
            "definitions": [definitions[k] for k in dict.fromkeys(p.definitions)],
        }
        for p in data.panels
    ]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "view": view,
            "title": TITLES[view],
            "subject": _scope_name(request, view),
            "data": data,
            "panels": panels,
            "year": year,
            "years": years(),
            "others": [v for v in views_for(request.user) if v != view] if request.user.is_authenticated else [],
            "titles": TITLES,
            "minimum": public_minimum(year) if view == "public" else None,
            "page_url": reverse(f"dashboards:{view}"),
        },
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    mine = views_for(request.user)
    if not mine:
        raise Http404
    return redirect("dashboards:" + mine[0])


@login_required
@require_GET
def management(request: HttpRequest) -> HttpResponse:
    require_perm(request, "dashboards.view_management")
    return _page(request, "management")


@login_required
@require_GET
def department(request: HttpRequest) -> HttpResponse:
    require_perm(request, "dashboards.view_department")
    return _page(request, "department")


@login_required
@require_GET
def company(request: HttpRequest) -> HttpResponse:
    require_perm(request, "dashboards.view_member")
    return _page(request, "company")


@login_required
@require_GET
def region(request: HttpRequest) -> HttpResponse:
    require_perm(request, "dashboards.view_regulator")
    return _page(request, "region")


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    return _page(request, "public")


def _export(request: HttpRequest, view: str, fmt: str) -> HttpResponse:
    if view != "public":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        scope_for(request.user, view)  # PermissionDenied unless the user may open this dashboard
    elif fmt not in ("xlsx", "pdf"):
        raise Http404
    year, _problem = year_of(request)
    data, _scope = load(request, view, year)
    definitions = definitions_for(year)
    title = str(TITLES[view])
    filename = f"{title}-{year}"
    if fmt == "xlsx":
        return spreadsheets.download(exports.workbook(data, title, definitions), f"{filename}.xlsx")
    if fmt == "pdf":
        response = HttpResponse(exports.document(data, title, definitions), content_type="application/pdf")
        from django.utils.http import content_disposition_header

        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.pdf")
        response["Cache-Control"] = "private, no-store"
        return response
    raise Http404


@require_GET
def export(request: HttpRequest, view: str, fmt: str) -> HttpResponse:
    if view != "public" and not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if view not in TITLES:
        raise Http404
    return _export(request, view, fmt)


@login_required
@require_http_methods(["GET", "POST"])
def definitions(request: HttpRequest) -> HttpResponse:
    """The figures' definitions in force for a year, and writing a new edition or the threshold."""
    require_perm(request, "dashboards.edit_definitions")
    year, problem = year_of(request)
    if problem:
        messages.error(request, problem)
    form = DefinitionForm(prefix="d", initial={"year": year})
    threshold_form = ThresholdForm(prefix="t", initial={"year": year, "minimum": public_minimum(year)})
    status = 200
    if request.method == "POST":
        if "t-minimum" in request.POST:
            threshold_form = ThresholdForm(request.POST, prefix="t")
            if threshold_form.is_valid():
                try:
                    services.threshold_set(actor=request.user, **threshold_form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(threshold_form, exc)
                else:
                    messages.success(request, _("The public threshold was saved."))
                    return redirect(f"{reverse('dashboards:definitions')}?year={threshold_form.cleaned_data['year']}")
        else:
            form = DefinitionForm(request.POST, prefix="d")
            if form.is_valid():
                try:
                    services.definition_set(actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("The definition was saved."))
                    return redirect(f"{reverse('dashboards:definitions')}?year={form.cleaned_data['year']}")
        status = 400
    current = definitions_for(year)
    return render(
        request,
        "dashboards/definitions.html",
        {
            "year": year,
            "years": years(),
            "rows": [current[k] for k in DEFINITIONS],
            "form": form,
            "threshold_form": threshold_form,
            "minimum": public_minimum(year),
            "title": format_lazy("{} {}", pgettext_lazy("dashboards", "Figure definitions"), year),
            "first_edition": pgettext("dashboards", "first edition"),
        },
        status=status,
    )
