"""Plan pages. Thin: parse a form, call a selector or a service, render.

The detail page carries every action the user may take in the plan's state; an action that
fails re-renders the detail page with the bound form and its errors next to the fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm
from huifu.tracking.models import TrackedItem

from .. import selectors, services
from ..filters import PlanFilter
from ..forms import (
    ActivityForm,
    ApproveForm,
    BudgetLineForm,
    CloseForm,
    CompleteForm,
    PlanEnterpriseForm,
    PlanForm,
    RejectForm,
    ReportForm,
    ReturnForm,
    SupervisionNoteForm,
)
from ..models import SITUATION_GUIDANCE, DeepeningPlan, PlanStatus, PlanSubmission
from ..progress import plan_progress
from .common import page_of, querystring_without_page


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "deepening.view_plan_list")
    filters = page_filter(PlanFilter, request, selectors.plan_list(user=request.user))
    return render(
        request,
        "deepening/plan_list.html",
        {
            "form": filters.form,
            "page": page_of(request, filters.qs),
            "querystring": querystring_without_page(request),
            "can_add": request.user.has_perm("deepening.add_plan"),
            "can_export": request.user.has_perm("deepening.export_plans"),
            "region": selectors.regulator_region(request.user),
            "year": filters.year_shown or timezone.localdate().year,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "deepening.add_plan")
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Draft saved. Add enterprises, activities and budget lines, then submit."))
                return redirect(plan)
    else:
        form = PlanForm(initial={"year": timezone.localdate().year})
    return render(request, "deepening/plan_form.html", {"form": form, "plan": None})


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.change_plan", plan)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Plan saved."))
                return redirect(plan)
    else:
        form = PlanForm(initial={f: getattr(plan, f) for f in services.plans.PLAN_FIELDS})
    return render(request, "deepening/plan_form.html", {"form": form, "plan": plan})


def _stages(plan: DeepeningPlan) -> list[TrackedItem]:
    submission_ids = [str(s.pk) for s in plan.submissions.all()]
    plan_ct = ContentType.objects.get_for_model(DeepeningPlan)
    sub_ct = ContentType.objects.get_for_model(PlanSubmission)
    return list(
        TrackedItem.objects.filter(
            Q(target_type=plan_ct, target_id=str(plan.pk)) | Q(target_type=sub_ct, target_id__in=submission_ids)
        )
        .select_related("owner", "department")
        .order_by("received_at", "pk")
    )


def _pools():  # noqa: ANN202
    from huifu.budget.models import BudgetPool, PoolStatus

    return BudgetPool.objects.filter(status=PoolStatus.OPEN).order_by("-year", "name")


def render_detail(request: HttpRequest, plan: DeepeningPlan, status: int = 200, **bound: Any) -> HttpResponse:
    """The detail page; ``bound`` replaces a blank action form with a bound one carrying errors."""
    from huifu.budget.selectors import allocation_figures_for

    user = request.user
    can_edit = plan.is_editable and user.has_perm("deepening.change_plan", plan)
    can_review = plan.status == PlanStatus.SUBMITTED and user.has_perm("deepening.review_plan", plan)
    can_report = plan.status in (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS) and user.has_perm(
        "deepening.report_progress", plan
    )
    entries = list(plan.enterprises.all())
    context: dict[str, Any] = {
        "plan": plan,
        "entries": entries,
        "guidance": {k: str(v) for k, v in SITUATION_GUIDANCE.items()},
        "stages": _stages(plan),
        "figures": allocation_figures_for(plan) if plan.status in PlanStatus.funded() else None,
        "notes": selectors.supervision_notes_for(user=user, plan=plan),
        "can_view_notes": user.has_perm("deepening.view_supervision_notes", plan),
        "can_edit": can_edit,
        "can_submit": plan.is_editable and user.has_perm("deepening.submit_plan", plan),
        "can_review": can_review,
        "can_report": can_report,
        "can_complete": can_report and user.has_perm("deepening.complete_plan", plan),
        "can_close": plan.status == PlanStatus.COMPLETED and user.has_perm("deepening.close_plan", plan),
        "can_note": plan.status != PlanStatus.DRAFT and user.has_perm("deepening.add_supervision_note", plan),
        "can_make_case": plan.status in (PlanStatus.COMPLETED, PlanStatus.CLOSED) and user.has_perm("cases.add_case"),
        "is_staff_view": user.has_perm("deepening.review_plan", plan) or getattr(user, "kind", "") == "staff",
        "last_return": next((s for s in reversed(list(plan.submissions.all())) if s.return_comment), None),
    }
    if can_edit:
        context["enterprise_form"] = bound.get("enterprise_form") or PlanEnterpriseForm(
            profiles=selectors.profile_choices_for_plan(plan)
        )
        context["activity_form"] = bound.get("activity_form") or ActivityForm(entries=plan.enterprises.all())
        context["line_form"] = bound.get("line_form") or BudgetLineForm()
    if can_review:
        context["return_form"] = bound.get("return_form") or ReturnForm()
        context["reject_form"] = bound.get("reject_form") or RejectForm()
        context["approve_form"] = bound.get("approve_form") or ApproveForm(
            pools=_pools(),
            entries=entries,
            initial={"amount": plan.requested_total, "selected": [str(e.profile_id) for e in entries]},
        )
    if can_report:
        context["report_activity_id"] = bound.get("report_activity_id")
        for activity in plan.activities.all():  # prefetched: the template sees these instances
            if activity.pk == context["report_activity_id"]:
                activity.report_form = bound["report_form"]
            else:
                activity.report_form = ReportForm(auto_id=f"id_report{activity.pk}_%s")
    if context["can_complete"]:
        context["complete_form"] = bound.get("complete_form") or CompleteForm()
    if context["can_close"]:
        context["close_form"] = bound.get("close_form") or CloseForm()
    if context["can_note"]:
        context["note_form"] = bound.get("note_form") or SupervisionNoteForm()
    context["submit_errors"] = bound.get("submit_errors", [])
    context["stepper"] = plan_progress(plan, stages=context["stages"], flags=context)
    return render(request, "deepening/plan_detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "deepening.view_plan_list")
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    return render_detail(request, plan)


def _action(
    request: HttpRequest,
    pk: int,
    perm: str,
    form_class: Any,
    form_key: str,
    call: Any,
    success: str,
    **form_kwargs: Any,
) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, perm, plan)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        try:
            call(plan, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(plan)
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    return render_detail(request, plan, status=400, **{form_key: form})


@login_required
@require_POST
def enterprise_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.change_plan", plan)
    return _action(
        request,
        pk,
        "deepening.change_plan",
        PlanEnterpriseForm,
        "enterprise_form",
        lambda p, d: services.plan_enterprise_add(
            actor=request.user, plan=p, profile=d["profile"], objectives=d["objectives"]
        ),
        _("Enterprise added to the plan."),
        profiles=selectors.profile_choices_for_plan(plan),
    )


def _remove(request: HttpRequest, pk: int, related: str, item_id: int, remove: Any, done: str) -> HttpResponse:
    """Remove one of a plan's draft parts (an enterprise entry, a planned activity, a budget line)."""
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.change_plan", plan)
    item = get_object_or_404(getattr(plan, related).all(), pk=item_id)
    try:
        remove(item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(plan)


@login_required
@require_POST
def enterprise_remove(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    return _remove(
        request,
        pk,
        "enterprises",
        entry_id,
        lambda entry: services.plan_enterprise_remove(actor=request.user, entry=entry),
        _("Enterprise removed from the plan."),
    )


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.change_plan", plan)
    return _action(
        request,
        pk,
        "deepening.change_plan",
        ActivityForm,
        "activity_form",
        lambda p, d: services.plan_activity_add(actor=request.user, plan=p, **d),
        _("Activity planned."),
        entries=plan.enterprises.all(),
    )


@login_required
@require_POST
def activity_remove(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    return _remove(
        request,
        pk,
        "activities",
        activity_id,
        lambda activity: services.plan_activity_remove(actor=request.user, activity=activity),
        _("Activity removed."),
    )


@login_required
@require_POST
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "deepening.change_plan",
        BudgetLineForm,
        "line_form",
        lambda p, d: services.budget_line_add(actor=request.user, plan=p, **d),
        _("Budget line added."),
    )


@login_required
@require_POST
def line_remove(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    return _remove(
        request,
        pk,
        "budget_lines",
        line_id,
        lambda line: services.budget_line_remove(actor=request.user, line=line),
        _("Budget line removed."),
    )


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.submit_plan", plan)
    try:
        services.plan_submit(actor=request.user, plan=plan)
    except ValidationError as exc:
        plan = selectors.plan_get(user=request.user, plan_id=pk)
        return render_detail(request, plan, status=400, submit_errors=exc.messages)
    messages.success(request, _("The plan is submitted to the exchange for review."))
    return redirect(plan)


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "deepening.review_plan",
        ReturnForm,
        "return_form",
        lambda p, d: services.plan_return(actor=request.user, plan=p, comment=d["comment"]),
        _("The plan is returned to the member for revision."),
    )


@login_required
@require_POST
def plan_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "deepening.review_plan",
        RejectForm,
        "reject_form",
        lambda p, d: services.plan_reject(actor=request.user, plan=p, reason=d["reason"]),
        _("The plan is rejected."),
    )


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.review_plan", plan)
    return _action(
        request,
        pk,
        "deepening.review_plan",
        ApproveForm,
        "approve_form",
        lambda p, d: services.plan_approve(
            actor=request.user,
            plan=p,
            pool=d["pool"],
            amount=d["amount"],
            selected_profile_ids=d["selected"],
            note=d["note"],
        ),
        _("The plan is approved and the amount committed from the budget pool."),
        pools=_pools(),
        entries=list(plan.enterprises.all()),
    )


@login_required
@require_POST
def activity_report(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    require_perm(request, "deepening.report_progress", plan)
    activity = get_object_or_404(plan.activities.all(), pk=activity_id)
    form = ReportForm(request.POST, request.FILES, auto_id=f"id_report{activity.pk}_%s", uploader=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_report(
                actor=request.user,
                activity=activity,
                done=data["outcome"] == "done",
                done_date=data["done_date"],
                attendance=data["attendance"],
                report=data["report"],
                files=data["files"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Progress reported."))
            return redirect(plan)
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    return render_detail(request, plan, status=400, report_form=form, report_activity_id=activity.pk)


@login_required
@require_POST
def plan_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "deepening.complete_plan",
        CompleteForm,
        "complete_form",
        lambda p, d: services.plan_complete(actor=request.user, plan=p, summary=d["summary"]),
        _("The plan is completed. Register the invoices on the budget allocation to be paid."),
    )


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "deepening.close_plan",
        CloseForm,
        "close_form",
        lambda p, d: services.plan_close(actor=request.user, plan=p, note=d["note"]),
        _("The plan is closed."),
    )


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        "deepening.add_supervision_note",
        SupervisionNoteForm,
        "note_form",
        lambda p, d: services.supervision_note_add(actor=request.user, plan=p, body=d["body"]),
        _("Supervision note saved."),
    )
