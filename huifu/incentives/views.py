"""Incentive project pages. Thin: parse input, call a selector or a service, render.

Projects: list, detail (rules, coverage, pilots, the member's own participation), staff create
and edit, open/close, rules. Participations: apply, list, detail with the actions the user may
take in the current state. Staff dashboard with server-rendered SVG charts.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm
from huifu.files.kept import KeepUploadsMixin

from . import charts, selectors, services
from .filters import ParticipationFilter, ProjectFilter
from .forms import (
    AcceptanceForm,
    ClosingReviewForm,
    DashboardForm,
    ParticipationForm,
    ProjectForm,
    ReportForm,
    ReviewForm,
    RuleForm,
    WithdrawForm,
)
from .models import ParticipationStatus, ProjectRule, ProjectStatus
from .progress import participation_progress, project_progress
from .services.projects import PROJECT_FIELDS

PAGE_SIZE = 25


def _querystring(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- projects ------------------------------------------------------------------------------------


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "incentives.view_project_list")
    filters = page_filter(ProjectFilter, request, selectors.project_list(user=request.user))
    form, qs = filters.form, filters.qs
    return render(
        request,
        "incentives/project_list.html",
        {
            "form": form,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": _querystring(request),
            "can_add": request.user.has_perm("incentives.add_project"),
            "can_see_participations": request.user.has_perm("incentives.view_participation_list"),
            "can_see_dashboard": request.user.has_perm("incentives.view_dashboard"),
        },
    )


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "incentives.view_project_list")
    project = selectors.project_get(user=request.user, project_id=pk)
    user = request.user
    own = selectors.own_participation_for(user=user, project=project)
    return render(
        request,
        "incentives/project_detail.html",
        {
            "project": project,
            "rules": list(project.rules.all()),
            "own_participation": own,
            "can_apply": own is None and project.is_open and user.has_perm("incentives.apply_project", project),
            "can_change": user.has_perm("incentives.change_project", project),
            "ProjectStatus": ProjectStatus,
            "stepper": project_progress(project),
        },
    )


def _project_kwargs(form: ProjectForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {name: data[name] for name in PROJECT_FIELDS if name in data and name != "notice"}


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "incentives.add_project")
    form = ProjectForm(request.POST or None, initial={"year": timezone.localdate().year, "entry_mode": "apply"})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user,
                products=form.cleaned_data["products"],
                pilots=form.cleaned_data["pilots"],
                **_project_kwargs(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project created as a draft."))
            return redirect(project.get_absolute_url())
    return render(request, "incentives/project_form.html", {"form": form, "project": None})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=pk)
    require_perm(request, "incentives.change_project", project)
    initial = {name: getattr(project, name) for name in PROJECT_FIELDS if name != "notice"}
    initial["products"] = list(project.products.all())
    initial["pilots"] = list(project.pilots.all())
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(
                actor=request.user,
                project=project,
                products=form.cleaned_data["products"],
                pilots=form.cleaned_data["pilots"],
                **_project_kwargs(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Project saved."))
            return redirect(project.get_absolute_url())
    return render(request, "incentives/project_form.html", {"form": form, "project": project})


@login_required
@require_POST
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=pk)
    require_perm(request, "incentives.change_project", project)
    try:
        services.project_set_status(actor=request.user, project=project, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except ValueError:
        messages.error(request, _("Unknown status."))
    else:
        messages.success(request, _("Project status changed."))
    return redirect(project.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int, rule_id: int | None = None) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=pk)
    require_perm(request, "incentives.change_project", project)
    rule = None
    if rule_id is not None:
        rule = ProjectRule.objects.filter(project=project, pk=rule_id).select_related("product").first()
        if rule is None:
            raise Http404
    initial: dict[str, Any] = {}
    if rule is not None:
        import json

        initial = {
            "product": rule.product,
            "basis": rule.basis,
            "tier_mode": rule.tier_mode,
            "tiers": json.dumps(rule.tiers, ensure_ascii=False),
            "min_volume": rule.min_volume,
            "min_avg_open_interest": rule.min_avg_open_interest,
            "cap_per_member": rule.cap_per_member,
            "notes": rule.notes,
        }
    form = RuleForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_save(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect(project.get_absolute_url())
    return render(request, "incentives/rule_form.html", {"form": form, "project": project, "rule": rule})


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int, rule_id: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=pk)
    require_perm(request, "incentives.change_project", project)
    rule = ProjectRule.objects.filter(project=project, pk=rule_id).first()
    if rule is None:
        raise Http404
    services.rule_delete(actor=request.user, rule=rule)
    messages.success(request, _("Rule deleted."))
    return redirect(project.get_absolute_url())


# --- participations ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participation_apply(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_get(user=request.user, project_id=pk)
    require_perm(request, "incentives.apply_project", project)
    form = ParticipationForm(request.POST or None, request.FILES or None, project=project, uploader=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participation_submit(
                actor=request.user,
                project=project,
                plan=form.cleaned_data["plan"],
                products=form.cleaned_data.get("products") or (),
                topic=form.cleaned_data.get("topic", ""),
                uploads=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Submitted. The exchange will review it."))
            return redirect(participation.get_absolute_url())
    return render(request, "incentives/participation_apply.html", {"form": form, "project": project})


@login_required
def participation_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "incentives.view_participation_list")
    filters = page_filter(ParticipationFilter, request, selectors.participation_list(user=request.user))
    form, qs = filters.form, filters.qs
    return render(
        request,
        "incentives/participation_list.html",
        {
            "form": form,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": _querystring(request),
        },
    )


def _detail_context(request: HttpRequest, participation: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    status = participation.status
    can_report = user.has_perm("incentives.report_participation", participation)
    can_decide = user.has_perm("incentives.decide_participation", participation)
    context = {
        "participation": participation,
        "deadlines": selectors.participation_deadlines(participation),
        "can_report": can_report and status == ParticipationStatus.TRACKING,
        "can_submit_results": can_report and status == ParticipationStatus.TRACKING,
        "can_withdraw": can_report and status in ParticipationStatus.withdrawable(),
        "can_apply_closing": can_report
        and status == ParticipationStatus.ACCEPTED
        and participation.project.requires_closing,
        "can_review": can_decide and status == ParticipationStatus.SUBMITTED,
        "can_accept": can_decide and status == ParticipationStatus.ACCEPTANCE_REVIEW,
        "can_close": can_decide and status == ParticipationStatus.CLOSING_REVIEW,
        "report_form": forms.get("report_form") or ReportForm(prefix="report"),
        "results_form": forms.get("results_form") or ReportForm(prefix="results"),
        "closing_form": forms.get("closing_form") or ReportForm(prefix="closing"),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(prefix="withdraw"),
        "review_form": forms.get("review_form") or ReviewForm(prefix="review"),
        "acceptance_form": forms.get("acceptance_form") or AcceptanceForm(prefix="acceptance"),
        "closing_review_form": forms.get("closing_review_form") or ClosingReviewForm(prefix="closingreview"),
    }
    context["stepper"] = participation_progress(participation, flags=context, stages=context["deadlines"])
    return context


@login_required
def participation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "incentives.view_participation_list")
    participation = selectors.participation_get(user=request.user, participation_id=pk)
    return render(request, "incentives/participation_detail.html", _detail_context(request, participation))


def _act(request: HttpRequest, pk: int, perm: str, form_class: Any, prefix: str, key: str, run: Any) -> HttpResponse:
    """Shared shape of a POST action on a participation: 404 if not readable, 403 if not
    allowed, form errors re-render the detail page (status 400), state errors as a message."""
    require_perm(request, "incentives.view_participation_list")
    participation = selectors.participation_get(user=request.user, participation_id=pk)
    require_perm(request, perm, participation)
    extra = {"uploader": request.user} if issubclass(form_class, KeepUploadsMixin) else {}  # files survive an error
    form = form_class(request.POST, request.FILES or None, prefix=prefix, **extra)
    if form.is_valid():
        try:
            run(participation, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(participation.get_absolute_url())
    participation = selectors.participation_get(user=request.user, participation_id=pk)
    return render(
        request,
        "incentives/participation_detail.html",
        _detail_context(request, participation, **{key: form}),
        status=400,
    )


@login_required
@require_POST
def participation_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.report_participation",
        ReportForm,
        "report",
        "report_form",
        lambda p, d: services.participation_report(
            actor=request.user, participation=p, text=d["text"], uploads=d["files"]
        ),
    )


@login_required
@require_POST
def participation_results(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.report_participation",
        ReportForm,
        "results",
        "results_form",
        lambda p, d: services.participation_submit_results(
            actor=request.user, participation=p, text=d["text"], uploads=d["files"]
        ),
    )


@login_required
@require_POST
def participation_closing(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.report_participation",
        ReportForm,
        "closing",
        "closing_form",
        lambda p, d: services.participation_apply_closing(
            actor=request.user, participation=p, text=d["text"], uploads=d["files"]
        ),
    )


@login_required
@require_POST
def participation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.report_participation",
        WithdrawForm,
        "withdraw",
        "withdraw_form",
        lambda p, d: services.participation_withdraw(actor=request.user, participation=p, reason=d["reason"]),
    )


@login_required
@require_POST
def participation_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.decide_participation",
        ReviewForm,
        "review",
        "review_form",
        lambda p, d: services.participation_review(
            actor=request.user,
            participation=p,
            approve=d["decision"] == "approve",
            comment=d["comment"],
            joined_on=d["joined_on"],
        ),
    )


def _run_acceptance(request: HttpRequest, participation: Any, data: dict[str, Any]) -> None:
    if data["result"] == "return":
        services.participation_return_for_work(actor=request.user, participation=participation, comment=data["notes"])
        return
    services.participation_accept(
        actor=request.user,
        participation=participation,
        result=data["result"],
        notes=data["notes"],
        payout_ratio=data["payout_ratio"],
        effective_from=data["effective_from"],
        effective_to=data["effective_to"],
        award_amount=data["award_amount"],
    )


@login_required
@require_POST
def participation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.decide_participation",
        AcceptanceForm,
        "acceptance",
        "acceptance_form",
        lambda p, d: _run_acceptance(request, p, d),
    )


@login_required
@require_POST
def participation_closing_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "incentives.decide_participation",
        ClosingReviewForm,
        "closingreview",
        "closing_review_form",
        lambda p, d: services.participation_closing_review(
            actor=request.user, participation=p, approve=d["decision"] == "approve", comment=d["comment"]
        ),
    )


# --- dashboard --------------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_perm(request, "incentives.view_dashboard")
    years = selectors.project_years()
    form = DashboardForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    year = filters.get("year") or (years[0] if years else timezone.localdate().year)
    product = filters.get("product")
    coverage = selectors.coverage_by_product(year=year)
    trend = selectors.trend_series(year=year, product=product)
    return render(
        request,
        "incentives/dashboard.html",
        {
            "form": form,
            "year": year,
            "product": product,
            "coverage": coverage,
            "uncovered": [c for c in coverage if c.participations == 0],
            "by_project": selectors.participation_counts_by_project(year=year),
            "coverage_chart": charts.bar_chart(
                [(c.product.code, c.participations) for c in coverage], title=_("Participations per product")
            ),
            "volume_chart": charts.line_chart(
                [p.month.strftime("%m") for p in trend],
                [
                    (_("Participants"), [p.participants_volume for p in trend]),
                    (_("Non-participants"), [p.others_volume for p in trend]),
                ],
                title=_("Monthly volume (lots)"),
            ),
            "oi_chart": charts.line_chart(
                [p.month.strftime("%m") for p in trend],
                [
                    (_("Participants"), [p.participants_oi for p in trend]),
                    (_("Non-participants"), [p.others_oi for p in trend]),
                ],
                title=_("Daily average open interest (lots)"),
            ),
            "trend": trend,
        },
    )
