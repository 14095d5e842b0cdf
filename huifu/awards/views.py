"""Award pages. Thin: check, call a selector or a service, render.

Staff of the owning department act on an evaluation (open, compute, publish, decide objections,
revoke); other staff read. An evaluated organisation's users read their own breakdown and
object during the window; they never see another organisation's figures."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huifu.accounts.predicates import is_staff_user
from huifu.core import spreadsheets
from huifu.core.http import add_service_errors, form_submitted, require_perm

from . import selectors
from .forms import (
    BonusForm,
    ComputeForm,
    DecisionForm,
    EnteredValueForm,
    EvaluationCreateForm,
    MeasureForm,
    ObjectionForm,
    RevokeForm,
    WeightsForm,
)
from .models import AwardProgramme, Evaluation, MeasureKind, Objection, ObjectionState, SubjectResult
from .pdf import winner_certificate_pdf
from .services import AwardsError, scheme_level_sums, scheme_new_version, scheme_set_weights
from .services import evaluations as services
from .services import winner_revoke as revoke_service
from .services.scheme_editor import tree_order


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _plain_number(value: str | None) -> str | None:
    """ "90.0000" → "90", "1234.5000" → "1234.5" (stored values keep their precision)."""
    if value is None:
        return None
    text = format(Decimal(value).normalize(), "f")
    return text


def breakdown_rows(result: SubjectResult) -> list[dict[str, Any]]:
    """The breakdown as table rows, parents before children with their depth."""
    rows = result.breakdown
    depth: dict[str, int] = {}
    english = _english()
    out = []
    for row in rows:
        depth[row["code"]] = 0 if not row["parent"] else depth.get(row["parent"], 0) + 1
        out.append(
            {
                **row,
                "depth": depth[row["code"]],
                "value": _plain_number(row["value"]),
                "name": row["name_en"] if english and row["name_en"] else row["name_zh"],
                "count": row["inputs"].get("count") if isinstance(row["inputs"], dict) else None,
                "evidence": row["inputs"].get("evidence", "") if isinstance(row["inputs"], dict) else "",
            }
        )
    return out


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_perm(request, "awards.view_awards")
    user = request.user
    return render(
        request,
        "awards/index.html",
        {
            "programmes": AwardProgramme.objects.select_related("department").prefetch_related("schemes")
            if is_staff_user(user)
            else [],
            "evaluations": selectors.evaluation_list(user=user),
            "winners": selectors.winner_list(user=user)[:100],
        },
    )


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme's tree; on a draft, the owning department changes the weights here."""
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    form = None
    if request.method == "POST":
        require_perm(request, "awards.manage_programme", scheme.programme)
        form = WeightsForm(request.POST, scheme=scheme)
        if form.is_valid():
            try:
                scheme_set_weights(actor=request.user, scheme=scheme, weights=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The weights are saved."))
                return redirect("awards:scheme", scheme.pk)
    return _scheme_page(request, scheme, weights_form=form)


def _labelled(deductions: Any) -> list[Any]:
    labels = dict(MeasureKind.choices)
    out = list(deductions)
    for deduction in out:
        deduction.label = labels.get(deduction.measure_kind, deduction.measure_kind)
    return out


def _scheme_page(request: HttpRequest, scheme: Any, *, status: int = 200, **forms: Any) -> HttpResponse:
    indicators = tree_order(list(scheme.indicators.all()))
    can_manage = request.user.has_perm("awards.manage_programme", scheme.programme)
    has_evaluation = hasattr(scheme, "evaluation")
    context = {
        "scheme": scheme,
        "indicators": indicators,
        "level_sums": scheme_level_sums(indicators),
        "can_edit": can_manage and not scheme.is_frozen,
        "bonus_items": scheme.bonus_items.all(),
        "deduction_types": _labelled(scheme.deduction_types.all()),
        "evaluation": scheme.evaluation if has_evaluation else None,
        "can_manage": can_manage,
        "can_draft_next": can_manage and scheme.is_frozen and not scheme.successors.exists(),
    }
    if can_manage and not scheme.is_frozen:
        context["form"] = forms.get("weights_form") or WeightsForm(scheme=scheme)
    if can_manage and not has_evaluation and not scheme.category_code:
        context["evaluation_form"] = forms.get("evaluation_form") or EvaluationCreateForm(prefix="evaluation")
    return render(request, "awards/scheme.html", context, status=status)


def _evaluation_context(request: HttpRequest, evaluation: Evaluation, **forms: Any) -> dict[str, Any]:
    user = request.user
    published = selectors.current_list(evaluation)
    own = selectors.own_result(user=user, evaluation=evaluation)
    staff = is_staff_user(user)
    can_manage = user.has_perm("awards.manage_programme", evaluation)
    context: dict[str, Any] = {
        "evaluation": evaluation,
        "programme": evaluation.programme,
        "edition": evaluation.edition,
        "categories": {c.code: c for c in evaluation.edition.categories.all()},
        "is_staff": staff,
        "can_manage": can_manage,
        "published": published,
        "lists": evaluation.published_lists.select_related("published_by", "notice").order_by("published_at", "pk"),
        "objections": selectors.objections_for(user=user, evaluation=evaluation),
        "own": own,
        "own_rows": breakdown_rows(own) if own else [],
        "named": selectors.winners_in_list(evaluation, published) if published else [],
        "own_winners": list(selectors.winner_list(user=user).filter(edition=evaluation.edition)) if not staff else [],
    }
    if staff:
        context["results"] = selectors.latest_results(user=user, evaluation=evaluation)
        context["result_sets"] = evaluation.result_sets.select_related("computed_by").order_by("-number")
        context["winners"] = selectors.winner_list(user=user).filter(edition=evaluation.edition)
    if can_manage:
        context["compute_form"] = forms.get("compute_form") or ComputeForm(prefix="compute")
        context["value_form"] = forms.get("value_form") or EnteredValueForm(prefix="value", evaluation=evaluation)
        context["measure_form"] = forms.get("measure_form") or MeasureForm(prefix="measure", evaluation=evaluation)
        context["measures"] = selectors.measures_for(evaluation)
        if evaluation.scheme.bonus_items.exists():
            context["bonus_form"] = forms.get("bonus_form") or BonusForm(prefix="bonus", evaluation=evaluation)
        context["decision_forms"] = {
            o.pk: (forms.get("decision_form") if forms.get("decision_pk") == o.pk else None)
            or DecisionForm(prefix=f"o{o.pk}")
            for o in context["objections"]
            if o.state == ObjectionState.SUBMITTED
        }
    if own and evaluation.objection_window_open:
        context["objection_form"] = forms.get("objection_form") or ObjectionForm(
            prefix="objection", indicators=context["own_rows"]
        )
    return context


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    return render(request, "awards/evaluation.html", _evaluation_context(request, evaluation))


def _act(request: HttpRequest, pk: int, call: Any, done: str) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", evaluation)
    try:
        call(evaluation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(evaluation)


@login_required
@require_POST
def evaluation_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda e: services.evaluation_open(actor=request.user, evaluation=e),
        _("The evaluation is open; its scheme is frozen."),
    )


@login_required
@require_POST
def evaluation_compute(request: HttpRequest, pk: int) -> HttpResponse:
    form = ComputeForm(request.POST, prefix="compute")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        pk,
        lambda e: services.evaluation_compute(actor=request.user, evaluation=e, reason=reason),
        _("The results are computed as a new version."),
    )


@login_required
@require_POST
def list_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda e: services.list_publish(actor=request.user, evaluation=e),
        _("The list is published and the notice sent."),
    )


@login_required
@require_POST
def objection_submit(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    own = selectors.own_result(user=request.user, evaluation=evaluation)
    require_perm(request, "awards.submit_objection", own)
    form = ObjectionForm(request.POST, prefix="objection", indicators=breakdown_rows(own))
    if form.is_valid():
        try:
            services.objection_submit(
                actor=request.user,
                evaluation=evaluation,
                text=form.cleaned_data["text"],
                indicator_code=form.cleaned_data["indicator_code"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your objection is submitted; you will be told the decision."))
            return redirect(evaluation)
    return render(
        request, "awards/evaluation.html", _evaluation_context(request, evaluation, objection_form=form), status=400
    )


@login_required
@require_POST
def objection_decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = Objection.objects.select_related("evaluation").filter(pk=pk).first()
    if objection is None or not is_staff_user(request.user):
        raise Http404
    evaluation = objection.evaluation
    require_perm(request, "awards.decide_objection", evaluation)
    form = DecisionForm(request.POST, prefix=f"o{objection.pk}")
    if form.is_valid():
        try:
            services.objection_decide(
                actor=request.user,
                objection=objection,
                upheld=form.cleaned_data["outcome"] == "upheld",
                reason=form.cleaned_data["reason"],
            )
        except AwardsError as exc:
            if exc.code == "same_person":
                form.add_error(None, exc.messages[0])
            else:
                add_service_errors(form, exc)
        else:
            messages.success(request, _("The objection is decided and the member told."))
            return redirect(evaluation)
    context = _evaluation_context(request, evaluation, decision_form=form, decision_pk=objection.pk)
    return render(request, "awards/evaluation.html", context, status=400)


@login_required
@require_POST
def value_enter(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", evaluation)
    form = EnteredValueForm(request.POST, prefix="value", evaluation=evaluation)
    enter = partial(services.entered_value_set, actor=request.user, evaluation=evaluation)
    if form_submitted(
        request, form, enter, success=_("The value is recorded; compute again to take it into the results.")
    ):
        return redirect(evaluation)
    return render(
        request, "awards/evaluation.html", _evaluation_context(request, evaluation, value_form=form), status=400
    )


@login_required
@require_POST
def measure_record(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", evaluation)
    form = MeasureForm(request.POST, prefix="measure", evaluation=evaluation)
    record = partial(services.measure_record, actor=request.user, programme=evaluation.programme)
    if form_submitted(
        request, form, record, success=_("The measure is recorded; compute again to take it into the results.")
    ):
        return redirect(evaluation)
    return render(
        request, "awards/evaluation.html", _evaluation_context(request, evaluation, measure_form=form), status=400
    )


@login_required
@require_POST
def measure_withdraw(request: HttpRequest, pk: int, measure_id: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", evaluation)
    measure = selectors.measures_for(evaluation).filter(pk=measure_id).first()
    if measure is None:
        raise Http404
    try:
        services.measure_withdraw(
            actor=request.user, programme=evaluation.programme, measure=measure, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The measure is withdrawn; compute again to take it out of the results."))
    return redirect(evaluation)


@login_required
@require_POST
def bonus_grant(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", evaluation)
    form = BonusForm(request.POST, prefix="bonus", evaluation=evaluation)
    grant = partial(services.bonus_grant, actor=request.user, evaluation=evaluation)
    if form_submitted(
        request, form, grant, success=_("The bonus is recorded; compute again to take it into the results.")
    ):
        return redirect(evaluation)
    return render(
        request, "awards/evaluation.html", _evaluation_context(request, evaluation, bonus_form=form), status=400
    )


@login_required
@require_POST
def scheme_next_version(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", scheme.programme)
    try:
        new = scheme_new_version(actor=request.user, scheme=scheme, year=scheme.year + 1)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("awards:scheme", scheme.pk)
    messages.success(request, _("Next year's scheme is drafted from this one; change its weights before it opens."))
    return redirect("awards:scheme", new.pk)


@login_required
@require_POST
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_get(user=request.user, pk=pk)
    require_perm(request, "awards.manage_programme", scheme.programme)
    form = EvaluationCreateForm(request.POST, prefix="evaluation")
    if form.is_valid():
        try:
            evaluation = services.evaluation_create(
                actor=request.user, programme=scheme.programme, scheme=scheme, year=scheme.year, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The evaluation is created; open it when the scheme is final."))
            return redirect(evaluation)
    return _scheme_page(request, scheme, evaluation_form=form, status=400)


@login_required
def result_detail(request: HttpRequest, pk: int, organisation_id: int) -> HttpResponse:
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    result = selectors.result_for_staff(user=request.user, evaluation=evaluation, organisation_id=organisation_id)
    return render(
        request, "awards/result.html", {"evaluation": evaluation, "result": result, "rows": breakdown_rows(result)}
    )


@login_required
@require_GET
def evaluation_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Excel: staff get every result of the latest computation with the leaf scores; an
    evaluated organisation gets its own breakdown only."""
    evaluation = selectors.evaluation_get(user=request.user, pk=pk)
    book = spreadsheets.workbook()
    sheet = book.active
    if is_staff_user(request.user):
        results = list(selectors.latest_results(user=request.user, evaluation=evaluation))
        codes = [row["code"] for row in results[0].breakdown] if results else []
        sheet.title = _("Results")
        spreadsheets.append(
            sheet,
            [
                _("Rank"),
                _("Organisation"),
                _("Total"),
                _("Indicator score"),
                _("Bonus"),
                _("Deduction"),
                _("Category"),
                *codes,
            ],
        )
        for r in results:
            scores = {row["code"]: row["score"] for row in r.breakdown}
            spreadsheets.append(
                sheet,
                [
                    r.rank,
                    r.organisation.name_zh,
                    r.total,
                    r.base_score,
                    r.bonus,
                    r.deduction,
                    r.category_code,
                    *[scores.get(c) for c in codes],
                ],
            )
        name = f"awards-{evaluation.programme.code}-{evaluation.year}.xlsx"
    else:
        own = selectors.own_result(user=request.user, evaluation=evaluation)
        if own is None:
            raise Http404
        sheet.title = _("Breakdown")
        spreadsheets.append(sheet, [_("Code"), _("Indicator"), _("Weight (%)"), _("Value"), _("Score")])
        for row in breakdown_rows(own):
            spreadsheets.append(sheet, [row["code"], row["name"], row["weight"], row["value"], row["score"]])
        spreadsheets.append(sheet, [])
        spreadsheets.append(sheet, [_("Bonus"), own.bonus])
        spreadsheets.append(sheet, [_("Deduction"), own.deduction])
        spreadsheets.append(sheet, [_("Total"), own.total])
        spreadsheets.append(sheet, [_("Rank"), own.rank])
        name = f"awards-{evaluation.programme.code}-{evaluation.year}-{own.organisation_id}.xlsx"
    return spreadsheets.download(spreadsheets.to_bytes(book), name)


@login_required
def edition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    edition = selectors.edition_get(user=request.user, pk=pk)
    winners = selectors.edition_winners(user=request.user, edition=edition)
    return render(
        request,
        "awards/edition.html",
        {
            "edition": edition,
            "winners": winners,
            "can_revoke": request.user.has_perm("awards.publish_winners", edition),
            "revoke_form": RevokeForm(prefix="revoke"),
        },
    )


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    winner = selectors.winner_get(user=request.user, pk=pk)
    require_perm(request, "awards.view_certificate", winner)
    response = HttpResponse(winner_certificate_pdf(winner), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="award-{winner.number}.pdf"'
    return response


@login_required
@require_POST
def winner_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    winner = selectors.winner_get(user=request.user, pk=pk)
    require_perm(request, "awards.publish_winners", winner.edition)
    form = RevokeForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            revoke_service(actor=request.user, winner=winner, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The award %(number)s is revoked.") % {"number": winner.number})
    else:
        messages.error(request, _("Give the reason for revoking the award."))
    return redirect(winner.edition)
