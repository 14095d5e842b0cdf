"""Activity pages. Thin: parse input, call a selector or a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.budget.selectors import allocation_figures_for
from huifu.core.filters import page_filter
from huifu.core.http import add_service_errors, require_perm
from huifu.tracking.models import TrackedItem

from . import selectors, services
from .filters import ActivityFilter
from .forms import (
    ApplicationForm,
    ApproveForm,
    CommentForm,
    FileForm,
    RejectForm,
    SummaryForm,
    SummaryReviewForm,
    TypeForm,
)
from .models import ActivityStatus, ActivityType, AudienceKind
from .pdf import activity_summary_pdf
from .progress import activity_progress

PAGE_SIZE = 25
S = ActivityStatus


def _get(request: HttpRequest, pk: int) -> Any:
    require_perm(request, "activities.view_activity_list")
    return selectors.activity_get(user=request.user, activity_id=pk)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "activities.view_activity_list")
    filters = page_filter(ActivityFilter, request, selectors.activity_list(user=request.user))
    params = request.GET.copy()
    params.pop("page", None)
    this_year = timezone.localdate().year
    return render(
        request,
        "activities/list.html",
        {
            "form": filters.form,
            "page": Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": params.urlencode(),
            "guideline": selectors.guideline_for(filters.year_shown or this_year)
            or selectors.guideline_for(this_year - 1),
            "can_apply": request.user.has_perm("activities.apply"),
            "can_manage_types": request.user.has_perm("activities.manage_types"),
        },
    )


def _application_initial(activity: Any) -> dict[str, Any]:
    initial = {
        f: getattr(activity, f)
        for f in ("title", "theme", "plan", "starts_on", "ends_on", "online", "venue", "co_organisers", "speakers")
    }
    initial["activity_type"] = activity.activity_type_id
    initial["university"] = activity.university_id
    for kind in AudienceKind.values:
        initial[f"audience_{kind}"] = activity.audience_expected.get(kind)
    for i, line in enumerate(activity.budget_lines.all()):
        initial[f"line_item_{i}"], initial[f"line_amount_{i}"] = line.item, line.amount
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "activities.apply")
    form = ApplicationForm(request.POST or None, types=selectors.types_for_year())
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Check it, then submit it for review."))
            return redirect(activity)
    return render(
        request, "activities/form.html", {"form": form, "activity": None, "types": selectors.types_for_year()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get(request, pk)
    require_perm(request, "activities.change_activity", activity)
    form = ApplicationForm(
        request.POST or None, types=selectors.types_for_year(), initial=_application_initial(activity)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application saved."))
            return redirect(activity)
    return render(
        request, "activities/form.html", {"form": form, "activity": activity, "types": selectors.types_for_year()}
    )


def _detail_context(request: HttpRequest, activity: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    can_review = user.has_perm("activities.review_activity", activity)
    can_change = user.has_perm("activities.change_activity", activity) and activity.status in S.editable()
    can_report = user.has_perm("activities.report_activity", activity)
    figures = allocation_figures_for(activity) if activity.status in S.funded() else None
    trackeds = TrackedItem.objects.filter(
        target_type__app_label="activities", target_type__model="activity", target_id=str(activity.pk)
    ).order_by("received_at", "pk")
    return {
        "activity": activity,
        "lines": activity.budget_lines.all(),
        "audience": [
            (label, activity.audience_expected.get(k, 0), activity.actual_attendance.get(k, 0))
            for k, label in AudienceKind.choices
        ],
        "steps": selectors.activity_steps(activity),
        "files": selectors.activity_files(activity),
        "figures": figures,
        "tracked_items": trackeds,
        "can_change": can_change,
        "can_make_case": activity.status in S.finished() and user.has_perm("cases.add_case"),
        "can_review": can_review and activity.status == S.SUBMITTED,
        "can_review_summary": can_review and activity.status == S.SUMMARY_SUBMITTED,
        "can_close": can_review and activity.status == S.PAID,
        "can_mark_held": can_report and activity.status == S.APPROVED,
        "can_summary": can_report and activity.status in S.summary_editable(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "approve_form": forms.get("approve_form")
        or ApproveForm(year=activity.activity_type.year, initial={"amount": activity.requested_amount}),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "file_form": forms.get("file_form") or FileForm(),
        "summary_form": forms.get("summary_form")
        or SummaryForm(
            initial={
                "summary": activity.summary,
                "agenda": activity.agenda,
                "media_links": activity.media_links,
                **{f"attendance_{k}": v for k, v in activity.actual_attendance.items()},
            }
        ),
        "summary_review_form": forms.get("summary_review_form") or SummaryReviewForm(),
        "stepper": activity_progress(activity, user=user, tracked_items=trackeds),
    }


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get(request, pk)
    return render(request, "activities/detail.html", _detail_context(request, activity))


def _act(request: HttpRequest, pk: int, perm: str, form: Any, form_key: str, call: Any, done: str) -> HttpResponse:
    activity = _get(request, pk)
    require_perm(request, perm, activity)
    if form is None or form.is_valid():
        try:
            call(activity, form.cleaned_data if form is not None else {})
        except ValidationError as exc:
            if form is None:
                messages.error(request, " ".join(exc.messages))
                return redirect(activity)
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(activity)
    return render(request, "activities/detail.html", _detail_context(request, activity, **{form_key: form}), status=400)


@login_required
@require_POST
def activity_submit(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    return _act(
        request,
        pk,
        "activities.change_activity",
        form,
        "comment_form",
        lambda a, d: services.activity_submit(actor=request.user, activity=a, comment=d["comment"]),
        _("Application submitted."),
    )


@login_required
@require_POST
def activity_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    return _act(
        request,
        pk,
        "activities.review_activity",
        form,
        "comment_form",
        lambda a, d: services.activity_return(actor=request.user, activity=a, comment=d["comment"]),
        _("Returned for revision."),
    )


@login_required
@require_POST
def activity_approve(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get(request, pk)
    form = ApproveForm(request.POST, year=activity.activity_type.year)
    return _act(
        request,
        pk,
        "activities.review_activity",
        form,
        "approve_form",
        lambda a, d: services.activity_approve(actor=request.user, activity=a, **d),
        _("Approved."),
    )


@login_required
@require_POST
def activity_reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    return _act(
        request,
        pk,
        "activities.review_activity",
        form,
        "reject_form",
        lambda a, d: services.activity_reject(actor=request.user, activity=a, reason=d["reason"]),
        _("Rejected."),
    )


@login_required
@require_POST
def activity_mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "activities.report_activity",
        None,
        "",
        lambda a, d: services.activity_mark_held(actor=request.user, activity=a),
        _("Marked as held."),
    )


@login_required
@require_POST
def activity_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = FileForm(request.POST, request.FILES, uploader=request.user)
    return _act(
        request,
        pk,
        "activities.report_activity",
        form,
        "file_form",
        lambda a, d: services.activity_file_add(actor=request.user, activity=a, role=d["role"], upload=d["upload"]),
        _("File added."),
    )


@login_required
@require_POST
def activity_summary(request: HttpRequest, pk: int) -> HttpResponse:
    form = SummaryForm(request.POST)

    def call(a: Any, d: dict[str, Any]) -> None:
        services.activity_summary_submit(
            actor=request.user,
            activity=a,
            summary=d["summary"],
            agenda=d["agenda"],
            media_links=d["media_links"],
            actual_attendance={k: d.get(f"attendance_{k}") or 0 for k in AudienceKind.values},
        )

    return _act(request, pk, "activities.report_activity", form, "summary_form", call, _("Summary submitted."))


@login_required
@require_POST
def activity_summary_review(request: HttpRequest, pk: int) -> HttpResponse:
    form = SummaryReviewForm(request.POST)
    return _act(
        request,
        pk,
        "activities.review_activity",
        form,
        "summary_review_form",
        lambda a, d: services.activity_summary_review(
            actor=request.user, activity=a, accept=d["decision"] == "accept", comment=d["comment"]
        ),
        _("Summary reviewed."),
    )


@login_required
@require_POST
def activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "activities.review_activity",
        None,
        "",
        lambda a, d: services.activity_close(actor=request.user, activity=a),
        _("Closed."),
    )


@login_required
def activity_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get(request, pk)
    pdf = activity_summary_pdf(
        activity, figures=allocation_figures_for(activity), steps=list(selectors.activity_steps(activity))
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="activity-{activity.pk}.pdf"'
    return response


# --- Types ------------------------------------------------------------------------------------------


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, "activities.manage_types")
    return render(request, "activities/types.html", {"types": selectors.types_for_year(active_only=False)})


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, "activities.manage_types")
    activity_type = get_object_or_404(ActivityType, pk=pk) if pk else None
    initial = {"year": timezone.localdate().year, "is_active": True}
    if activity_type is not None:
        initial = {
            f: getattr(activity_type, f)
            for f in (
                "year",
                "kind",
                "name",
                "name_en",
                "description",
                "required_fields",
                "cap_per_activity",
                "is_active",
            )
        }
        initial["priority_themes"] = "\n".join(activity_type.priority_themes)
        initial["line_caps"] = "\n".join(f"{k}={v}" for k, v in activity_type.line_caps.items())
    form = TypeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.type_save(actor=request.user, activity_type=activity_type, **form.service_kwargs())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Activity type saved."))
            return redirect("activities:types")
    return render(request, "activities/type_form.html", {"form": form, "activity_type": activity_type})
