"""Pages of the organising department: the selection's windows and plan notice, a category's
panel (judges, their employment histories), its conflicts, results (compute, expert review,
publish), the winners and revocation, and the Excel exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.accounts.models import User
from huifu.core.http import require_perm
from huifu.core.spreadsheets import download

from . import exports, selectors, services
from .forms import CategoryForm, EmploymentForm, PanelMemberForm, PhaseForm, RevokeForm, SelectionForm
from .models import Award, JudgeEmployment, ResultRun, RunState
from .presenters import phase_rows


def _selection(request: HttpRequest, year: int) -> Any:
    selection = selectors.selection_get(year=year)
    if not request.user.has_perm("selections.manage_selection", selection):
        raise Http404
    return selection


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def selection_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "selections.manage_selection")
    form = SelectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            selection = services.selection_create(
                actor=request.user,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                department=request.user.department,
                phases=form.phases(),
                conflict_years=form.cleaned_data["conflict_years"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Selection created. Add its categories, then publish the plan."))
            return redirect("selections:manage", year=selection.year)
    status = 400 if request.method == "POST" else 200
    return render(request, "selections/form.html", {"form": form, "heading": _("New selection")}, status=status)


def _form_errors(form: Any, exc: ValidationError) -> None:
    """A phase error names the phase (``application``): shown on its closing field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else f"{field}_closes" if f"{field}_closes" in form.fields else None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest, year: int) -> HttpResponse:
    selection = _selection(request, year)
    form = CategoryForm(request.POST or None, selection=selection)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(actor=request.user, selection=selection, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Category created. Add its judges."))
            return redirect("selections:category", pk=category.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "selections/form.html",
        {"form": form, "heading": _("New category of %(title)s") % {"title": selection.title}},
        status=status,
    )


@login_required
def selection_manage(request: HttpRequest, year: int) -> HttpResponse:
    selection = _selection(request, year)
    return render(
        request,
        "selections/manage.html",
        {
            "selection": selection,
            "phases": phase_rows(selection),
            "phase_form": PhaseForm(),
            "categories": list(selection.categories.select_related("scheme")),
        },
    )


@login_required
@require_POST
def phase_set(request: HttpRequest, year: int) -> HttpResponse:
    selection = _selection(request, year)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.phase_set(actor=request.user, selection=selection, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Window saved."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{' '.join(errors)}")
    return redirect("selections:manage", year=year)


@login_required
@require_POST
def plan_publish(request: HttpRequest, year: int) -> HttpResponse:
    selection = _selection(request, year)
    body = (request.POST.get("body") or "").strip()
    if not body:
        messages.error(request, _("Write the plan's text before publishing it."))
        return redirect("selections:manage", year=year)
    try:
        services.plan_publish(
            actor=request.user, selection=selection, body=body, doc_number=request.POST.get("doc_number", "")
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The plan is published as a notice to all members."))
    return redirect("selections:manage", year=year)


def _category(request: HttpRequest, pk: int) -> Any:
    return selectors.category_for_manager(user=request.user, category_id=pk)


@login_required
def category_manage(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(request, pk)
    run = category.runs.exclude(state=RunState.SUPERSEDED).order_by("-version").first()
    rows = (
        list(run.rows.select_related("application__organisation").prefetch_related("application__members"))
        if run
        else []
    )
    panel = list(category.panel.select_related("user"))
    employments = JudgeEmployment.objects.filter(user__in=[m.user for m in panel]).select_related(
        "user", "organisation"
    )
    return render(
        request,
        "selections/category.html",
        {
            "category": category,
            "panel": panel,
            "employments": employments,
            "run": run,
            "can_review": run is not None and run.state == RunState.COMPUTED,
            "can_publish": run is not None and run.state == RunState.REVIEWED,
            "rows": rows,
            "runs": category.runs.order_by("-version"),
            "winners": list(selectors.winners(category=category)),
            "applications": selectors.application_list(user=request.user)
            .filter(category=category)
            .prefetch_related("members"),
            "panel_form": PanelMemberForm(),
            "employment_form": EmploymentForm(),
            "revoke_form": RevokeForm(),
        },
    )


def _user_by_email(email: str) -> Any:
    return User.objects.filter(email__iexact=email.strip()).first()


@login_required
@require_POST
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(request, pk)
    form = PanelMemberForm(request.POST)
    if form.is_valid():
        user = _user_by_email(form.cleaned_data["email"])
        if user is None:
            messages.error(request, _("No account has the e-mail %(email)s.") % {"email": form.cleaned_data["email"]})
        else:
            try:
                services.panel_member_add(
                    actor=request.user, category=category, user=user, role=form.cleaned_data["role"]
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Judge added; conflicts of interest were checked."))
    else:
        messages.error(request, _("Give the judge's e-mail address."))
    return redirect("selections:category", pk=pk)


@login_required
@require_POST
def employment_add(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(request, pk)
    form = EmploymentForm(request.POST)
    if form.is_valid():
        user = _user_by_email(form.cleaned_data["email"])
        if user is None or not category.panel.filter(user=user).exists():
            messages.error(request, _("%(email)s is not on this panel.") % {"email": form.cleaned_data["email"]})
        else:
            try:
                services.judge_employment_add(
                    actor=request.user,
                    user=user,
                    organisation=form.cleaned_data["organisation"],
                    started_on=form.cleaned_data["started_on"],
                    ended_on=form.cleaned_data["ended_on"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Employment recorded; conflicts of interest were checked again."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{' '.join(errors)}")
    return redirect("selections:category", pk=pk)


def _run_action(service: Any, done: str) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
        category = _category(request, pk)
        run = get_object_or_404(ResultRun, pk=run_id, category=category)
        try:
            service(actor=request.user, run=run)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, str(done))
        return redirect("selections:category", pk=pk)

    return view


@login_required
@require_POST
def results_compute(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(request, pk)
    try:
        run = services.results_compute(actor=request.user, category=category)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Results computed as version %(v)s.") % {"v": run.version})
    return redirect("selections:category", pk=pk)


from django.utils.translation import gettext_lazy  # noqa: E402

results_review = _run_action(services.results_review, gettext_lazy("The expert review's confirmation is recorded."))
results_publish = _run_action(
    services.results_publish, gettext_lazy("Winners published (排名不分先后) with their certificates.")
)


@login_required
@require_POST
def award_revoke(request: HttpRequest, pk: int, award_id: int) -> HttpResponse:
    category = _category(request, pk)
    award = get_object_or_404(Award, pk=award_id, run__category=category)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
    else:
        try:
            services.award_revoke(actor=request.user, award=award, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Award revoked; its history is kept."))
    return redirect(reverse("selections:category", args=[pk]) + "#winners")


@login_required
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    category = _category(request, pk)
    require_perm(request, "selections.view_results", category)
    return download(exports.results_xlsx(category=category), f"{category.selection.year}-{category.code}-results.xlsx")


@login_required
def judging_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, "selections.judge")
    return download(exports.judging_xlsx(user=request.user), "judging.xlsx")


@login_required
def my_export(request: HttpRequest) -> HttpResponse:
    if not request.user.organisation_id:
        raise Http404
    return download(exports.company_xlsx(user=request.user), "applications.xlsx")
