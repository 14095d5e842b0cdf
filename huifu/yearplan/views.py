"""Year-plan pages (staff): the years, a year's generated document with its downloads, the
edit pages of the coordinator, freezing, and the year-on-year comparison. Thin: check a
permission, call a selector or a service, render. A text that cannot be filled shows its
error on the page (never a 500)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm

from . import document, selectors, services
from .facts import FACTS
from .forms import NewYearForm, ProgrammeForm, YearForm
from .permissions import available_actions
from .render_docx import CONTENT_TYPE, docx_bytes
from .render_pdf import pdf_bytes
from .workflows import FLOWS


def _compose(plan: Any) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        return document.compose(plan), []
    except ValidationError as exc:
        return None, exc.messages


@login_required
@require_http_methods(["GET", "POST"])
def year_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    can_add = request.user.has_perm("yearplan.add_plan")
    form = NewYearForm(request.POST or None)
    if request.method == "POST":
        require_perm(request, "yearplan.add_plan")
        if form.is_valid():
            year = form.cleaned_data["year"]
            last = selectors.year_list().filter(year__lt=year).order_by("-year").first()
            try:
                plan = services.year_create(
                    actor=request.user, year=year, as_of=form.cleaned_data["as_of"], copy_from=last
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Year %(year)s started.") % {"year": plan.year})
                return redirect(plan)
    return render(
        request,
        "yearplan/list.html",
        {"years": selectors.year_list(), "form": form, "can_add": can_add},
        status=400 if form.errors else 200,
    )


@login_required
def year_detail(request: HttpRequest, year: int) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    plan = selectors.year_get(year=year)
    doc, errors = _compose(plan)
    return render(
        request,
        "yearplan/detail.html",
        {
            "plan": plan,
            "doc": doc,
            "errors": errors,
            "programmes": selectors.programmes(plan),
            "previous": selectors.previous_year(plan),
            "actions": available_actions(request.user, plan),
        },
    )


def _download(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    plan = selectors.year_get(year=year)
    doc, errors = _compose(plan)
    if doc is None:
        for error in errors:
            messages.error(request, error)
        return redirect(plan)
    author = selectors.author_of(doc)
    name = f"{plan.year}-arrangements.{kind}"
    if kind == "docx":
        response = HttpResponse(docx_bytes(doc, author=author), content_type=CONTENT_TYPE)
    else:
        response = HttpResponse(pdf_bytes(doc, author=author), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def download_docx(request: HttpRequest, year: int) -> HttpResponse:
    return _download(request, year, "docx")


@login_required
def download_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return _download(request, year, "pdf")


def _placeholders() -> dict[str, Any]:
    return {"facts": FACTS, "flows": FLOWS}


@login_required
@require_http_methods(["GET", "POST"])
def year_edit(request: HttpRequest, year: int) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    plan = selectors.year_get(year=year)
    require_perm(request, "yearplan.change_plan", plan)
    form = YearForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(plan)
    return render(
        request,
        "yearplan/year_form.html",
        {"plan": plan, "form": form, **_placeholders()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, year: int, key: str | None = None) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    plan = selectors.year_get(year=year)
    require_perm(request, "yearplan.change_plan", plan)
    programme = selectors.programme_get(plan=plan, key=key) if key else None
    form = ProgrammeForm(request.POST or None, instance=programme)
    if programme is None:
        form.instance.plan = plan
    if request.method == "POST" and form.is_valid():
        try:
            if programme is None:
                services.programme_create(actor=request.user, plan=plan, **form.cleaned_data)
            else:
                services.programme_update(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(plan)
    return render(
        request,
        "yearplan/programme_form.html",
        {"plan": plan, "programme": programme, "form": form, **_placeholders()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def year_freeze(request: HttpRequest, year: int) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    plan = selectors.year_get(year=year)
    require_perm(request, "yearplan.freeze_plan", plan)
    try:
        services.year_freeze(actor=request.user, plan=plan)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Year %(year)s frozen: its document will not change again.") % {"year": plan.year})
    return redirect(plan)


@login_required
def year_compare(request: HttpRequest, year: int) -> HttpResponse:
    require_perm(request, "yearplan.view_plan")
    plan = selectors.year_get(year=year)
    against_param = request.GET.get("against", "")
    other = selectors.year_get(year=int(against_param)) if against_param.isdigit() else selectors.previous_year(plan)
    changes: list[Any] = []
    errors: list[str] = []
    if other is not None:
        new, errors_new = _compose(plan)
        old, errors_old = _compose(other)
        errors = errors_old + errors_new
        if new is not None and old is not None:
            changes = document.compare(old, new)
    only_changed = request.GET.get("all") != "1"
    shown = [c for c in changes if c.status != "same"] if only_changed else changes
    return render(
        request,
        "yearplan/compare.html",
        {
            "plan": plan,
            "other": other,
            "changes": shown,
            "unchanged": sum(1 for c in changes if c.status == "same"),
            "only_changed": only_changed,
            "errors": errors,
            "years": selectors.year_list().exclude(pk=plan.pk),
        },
    )
