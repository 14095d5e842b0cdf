"""Pages of member companies and judges: the selections and their phases, applying with a
roster, the application page (materials, submit, the admin's confirmation, withdraw), the judge's
list and score sheet, the chair's conflicts. Thin: a permission, a selector, a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from huifu.core.http import add_service_errors, require_perm

from . import selectors, services
from .forms import (
    ApplicationForm,
    ConflictDecisionForm,
    DeclarationForm,
    MaterialForm,
    member_formset,
    score_form_class,
)
from .models import ApplicantKind, Category, Declaration, PanelMember, PanelRole, PhaseKind
from .presenters import application_actions, application_view, phase_rows
from .rubric import judged_indicators, scale_of


def _url(application: Any) -> str:
    return reverse("selections:application", args=[application.pk])


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_perm(request, "selections.view_selection_list")
    user = request.user
    selections = list(selectors.selection_list(user=user))
    return render(
        request,
        "selections/index.html",
        {
            "rows": [(s, phase_rows(s), list(s.categories.all())) for s in selections],
            "applications": selectors.application_list(user=user).filter(organisation_id=user.organisation_id)
            if user.organisation_id
            else [],
            "can_apply": user.has_perm("selections.apply"),
            "can_create": user.has_perm("selections.manage_selection"),
            "judging": selectors.judging_list(user=user).exists(),
            "chairs": Category.objects.filter(panel__user_id=user.pk, panel__role=PanelRole.CHAIR).select_related(
                "selection"
            ),
            "managed": [s for s in selections if user.has_perm("selections.manage_selection", s)],
            "open_application": {s.pk: services.phase_state(s, PhaseKind.APPLICATION) == "open" for s in selections},
        },
    )


def _members_from(formset: Any) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data]


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, category_id: int) -> HttpResponse:
    require_perm(request, "selections.apply")
    category = get_object_or_404(Category.objects.select_related("selection"), pk=category_id)
    team = category.applicant_kind == ApplicantKind.TEAM
    form = ApplicationForm(request.POST or None)
    formset = member_formset(request.POST or None, rows=5 if team else 1)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                category=category,
                kind=category.applicant_kind,
                team_name=form.cleaned_data["team_name"],
                summary=form.cleaned_data["summary"],
                members=_members_from(formset),
            )
        except ValidationError as exc:
            add_service_errors(form, _move_member_errors(exc))
        else:
            messages.success(request, _("Application saved as a draft. Submit it for your company's confirmation."))
            return redirect(_url(application))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "selections/apply.html",
        {"category": category, "form": form, "formset": formset, "team": team, "application": None},
        status=status,
    )


def _move_member_errors(exc: ValidationError) -> ValidationError:
    """Roster errors are shown above the roster (the form has no ``members`` field)."""
    if hasattr(exc, "error_dict") and "members" in exc.error_dict:
        data = dict(exc.error_dict)
        data["__all__"] = data.pop("members")
        return ValidationError(data)
    return exc


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, application_id=pk)
    require_perm(request, "selections.change_application", application)
    team = application.kind == ApplicantKind.TEAM
    initial = [
        {
            "full_name": m.full_name,
            "certificate_no": m.certificate_no,
            "is_leader": m.is_leader,
            "former_organisation": m.former_organisation_id,
            "former_until": m.former_until,
        }
        for m in application.members.all()
    ]
    form = ApplicationForm(
        request.POST or None, initial={"team_name": application.team_name, "summary": application.summary}
    )
    formset = member_formset(request.POST or None, initial=initial, rows=5 if team else 1)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.application_update(
                actor=request.user,
                application=application,
                team_name=form.cleaned_data["team_name"],
                summary=form.cleaned_data["summary"],
                members=_members_from(formset),
            )
        except ValidationError as exc:
            add_service_errors(form, _move_member_errors(exc))
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_url(application))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "selections/apply.html",
        {"category": application.category, "form": form, "formset": formset, "team": team, "application": application},
        status=status,
    )


def _detail(request: HttpRequest, application: Any, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    view = application_view(user, application)
    context: dict[str, Any] = {
        "application": application,
        "view": view,
        "actions": application_actions(user, application),
        "material_form": MaterialForm(uploader=user),
    }
    if context["actions"]["score"]:
        indicators = judged_indicators(application.category)
        score_form = score_form_class(indicators, scale_of(application.category))
        context["score_form"] = score_form(initial=selectors.scores_of_judge(user=user, application=application))
    context.update(forms)
    return render(request, "selections/application.html", context, status=status)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, application_id=pk)
    return _detail(request, application)


def _post(request: HttpRequest, pk: int, perm: str) -> Any:
    application = selectors.application_get(user=request.user, application_id=pk)
    require_perm(request, perm, application)
    return application


def _transition(service: Any, perm: str, done: str) -> Any:
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        application = _post(request, pk, perm)
        try:
            service(actor=request.user, application=application)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return redirect(_url(application))

    return view


application_submit = _transition(
    services.application_submit,
    "selections.change_application",
    gettext_lazy("Submitted: your company's admin confirms it next."),
)
application_return = _transition(
    services.application_return, "selections.confirm_application", gettext_lazy("Returned to draft.")
)
application_confirm = _transition(
    services.application_confirm, "selections.confirm_application", gettext_lazy("Confirmed on behalf of the company.")
)
application_withdraw = _transition(
    services.application_withdraw, "selections.change_application", gettext_lazy("Application withdrawn.")
)


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _post(request, pk, "selections.change_application")
    form = MaterialForm(request.POST, request.FILES, uploader=request.user)
    if form.is_valid():
        try:
            services.material_add(
                actor=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Material uploaded."))
            return redirect(_url(application))
    return _detail(request, application, status=400, material_form=form)


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    # The selector answers 404 for an application the judge is recused from, as for a missing one.
    application = selectors.application_get(user=request.user, application_id=pk)
    if not request.user.has_perm("selections.score_application", application):
        raise PermissionDenied
    indicators = judged_indicators(application.category)
    form = score_form_class(indicators, scale_of(application.category))(request.POST)
    form.is_valid()
    values = {i.code: form.cleaned_data.get(i.code, "") for i in indicators}
    try:
        services.scores_submit(
            actor=request.user,
            application_id=application.pk,
            values=values,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _detail(request, application, status=400, score_form=form)
    messages.success(request, _("Scores saved."))
    return redirect(_url(application))


@login_required
def judging(request: HttpRequest) -> HttpResponse:
    require_perm(request, "selections.judge")
    applications = list(selectors.judging_list(user=request.user))
    scored = set(
        selectors.Score.objects.filter(judge__user_id=request.user.pk, application__in=applications).values_list(
            "application_id", flat=True
        )
    )
    return render(
        request,
        "selections/judging.html",
        {
            "rows": [(a, a.pk in scored) for a in applications],
            "on_panel": PanelMember.objects.filter(user_id=request.user.pk).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponse:
    """A judge's declared relations; declaring one recomputes the conflicts at once."""
    require_perm(request, "selections.judge")
    if not PanelMember.objects.filter(user_id=request.user.pk).exists():
        raise PermissionDenied
    form = DeclarationForm(request.POST or None)
    if request.method == "GET":
        declarations = Declaration.objects.filter(user=request.user).select_related("organisation")
        return render(request, "selections/declare.html", {"form": form, "declarations": declarations})
    if form.is_valid():
        try:
            services.declaration_add(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Relation declared; you are recused from that company's applications."))
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{' '.join(errors)}")
    return redirect("selections:declare")


@login_required
def conflicts(request: HttpRequest, category_id: int) -> HttpResponse:
    category = selectors.category_for_conflicts(user=request.user, category_id=category_id)
    rows = list(selectors.conflict_list(user=request.user, category=category))
    return render(
        request,
        "selections/conflicts.html",
        {"category": category, "rows": rows, "form": ConflictDecisionForm(), "blind": category.blind},
    )


@login_required
@require_POST
def conflict_decide(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = selectors.conflict_get(user=request.user, conflict_id=pk)
    require_perm(request, "selections.decide_conflict", conflict)
    form = ConflictDecisionForm(request.POST)
    target = reverse("selections:conflicts", args=[conflict.application.category_id])
    if form.is_valid():
        try:
            services.conflict_decide(
                actor=request.user,
                conflict=conflict,
                confirm=form.cleaned_data["decision"] == "confirm",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Decision recorded."))
        return redirect(target)
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{error}")
    return redirect(target)
