"""Credit-hour pages. Thin: check the permission, read through the selectors, call a service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huifu.core.http import add_service_errors, require_perm
from huifu.core.spreadsheets import download
from huifu.directory.models import Organisation
from huifu.events.models import Session

from . import hours, selectors, services, statements
from .forms import CategoryForm, ClaimForm, DecisionForm, DeferralForm, RuleForm, SessionHoursForm
from .models import ClaimState, DeferralState, HourCategory

PAGE_SIZE = 50


def _person_for(request: HttpRequest, person_id: int | None) -> Any:
    if person_id is None or person_id == request.user.pk:
        require_perm(request, "credits.view_own_hours")
        return request.user
    require_perm(request, "credits.view_company_hours")
    return selectors.practitioner_get(user=request.user, person_id=person_id)


def _standing(request: HttpRequest, person: Any) -> tuple[hours.Standing | None, list[hours.Window]]:
    windows = hours.windows_for(person)
    if not windows:
        return None, []
    chosen = windows[-1]
    wanted = request.GET.get("window")
    if wanted:
        chosen = next((w for w in windows if w.key == wanted), None)
        if chosen is None:
            raise Http404
    return hours.hours_for(person, chosen), list(reversed(windows[-4:]))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A practitioner's own hours; staff go to the overview."""
    if not request.user.has_perm("credits.view_own_hours"):
        require_perm(request, "credits.view_company_hours")
        return redirect("credits:company")
    return _person_page(request, request.user)


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(request, _person_for(request, pk))


def _person_page(request: HttpRequest, subject: Any) -> HttpResponse:
    standing, windows = _standing(request, subject)
    own = subject.pk == request.user.pk
    query = f"?window={standing.window.key}" if standing else ""
    return render(
        request,
        "credits/person.html",
        {
            "subject": subject,
            "own": own,
            "standing": standing,
            "windows": windows,
            "pdf_url": reverse("credits:statement_pdf", args=[subject.pk]) + query,
            "xlsx_url": reverse("credits:statement_xlsx", args=[subject.pk]) + query,
            "claims": selectors.claim_list(user=request.user).filter(person=subject)[:20],
            "deferrals": selectors.deferral_list(user=request.user).filter(person=subject)[:10],
            "can_claim": own and request.user.has_perm("credits.claim_hours"),
            "can_defer": own and request.user.has_perm("credits.request_deferral"),
            "can_overview": request.user.has_perm("credits.view_company_hours"),
        },
    )


def _statement(request: HttpRequest, pk: int) -> hours.Standing:
    standing, _windows = _standing(request, _person_for(request, pk))
    if standing is None:
        raise Http404
    return standing


def _filename(standing: hours.Standing, ext: str) -> str:
    name = standing.person.full_name or standing.person.email
    return f"学时证明_{name}_{standing.window.label}.{ext}"


@login_required
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    standing = _statement(request, pk)
    response = HttpResponse(statements.statement_pdf(standing), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(standing, "pdf")
    )
    return response


@login_required
def statement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    standing = _statement(request, pk)
    return download(statements.statement_xlsx(standing), _filename(standing, "xlsx"))


def _company_standings(request: HttpRequest) -> tuple[Any, list[hours.Standing], dict[str, Any]]:
    require_perm(request, "credits.view_company_hours")
    organisation_id = None
    organisations = None
    if request.user.has_perm("credits.view_all_companies"):
        organisations = Organisation.objects.filter(users__kind="member").distinct().order_by("name_zh")
        try:
            organisation_id = int(request.GET.get("organisation") or 0) or None
        except ValueError:
            organisation_id = None
    text = (request.GET.get("q") or "").strip()[:50]
    people = selectors.practitioners_for(user=request.user, organisation_id=organisation_id, text=text)
    only_short = request.GET.get("short") == "1"
    return people, only_short, {"organisations": organisations, "organisation_id": organisation_id, "q": text}


@login_required
def company(request: HttpRequest) -> HttpResponse:
    people, only_short, context = _company_standings(request)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    standings = hours.standings_for(list(page.object_list))
    if only_short:
        standings = [s for s in standings if not s.met]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "credits/company.html",
        {
            **context,
            "page": page,
            "standings": standings,
            "only_short": only_short,
            "categories": hours.categories(),
            "querystring": params.urlencode(),
            "can_decide": request.user.has_perm("credits.view_decisions"),
            "can_manage": request.user.has_perm("credits.manage_rules"),
        },
    )


@login_required
def company_xlsx(request: HttpRequest) -> HttpResponse:
    people, only_short, _context = _company_standings(request)
    standings = hours.standings_for(list(people))
    if only_short:
        standings = [s for s in standings if not s.met]
    return download(statements.company_xlsx(standings, hours.categories()), "学时汇总.xlsx")


# --- claims and deferrals --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "credits.claim_hours")
    form = ClaimForm(request.POST or None, request.FILES or None, uploader=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_submit(actor=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your hours are entered; your company's administrator decides."))
            return redirect(claim)
    return render(
        request, "credits/form.html", {"form": form, "title": _("Enter hours from another provider"), "multipart": True}
    )


def _decision_page(request: HttpRequest, record: Any, *, kind: str, perm: str, decide: Any) -> HttpResponse:
    can_decide = request.user.has_perm(perm, record)
    form = DecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        if form.is_valid():
            try:
                decide(
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The decision is recorded and the practitioner is told."))
                return redirect(record.get_absolute_url())
    return render(request, f"credits/{kind}.html", {"record": record, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.claim_get(user=request.user, claim_id=pk)
    return _decision_page(
        request,
        record,
        kind="claim",
        perm="credits.decide_claim",
        decide=lambda **kw: services.claim_decide(claim=record, **kw),
    )


@login_required
@require_http_methods(["GET", "POST"])
def deferral_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "credits.request_deferral")
    windows = list(reversed(hours.windows_for(request.user)[-2:]))
    form = DeferralForm(request.POST or None, request.FILES or None, uploader=request.user, windows=windows)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deferral = services.deferral_request(
                actor=request.user, window_start=data["window_start"], reason=data["reason"], evidence=data["evidence"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your application is sent; your company's administrator decides."))
            return redirect(deferral)
    return render(request, "credits/form.html", {"form": form, "title": _("Apply for a deferral"), "multipart": True})


@login_required
@require_http_methods(["GET", "POST"])
def deferral(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.deferral_get(user=request.user, deferral_id=pk)
    return _decision_page(
        request,
        record,
        kind="deferral",
        perm="credits.decide_deferral",
        decide=lambda **kw: services.deferral_decide(deferral=record, **kw),
    )


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    require_perm(request, "credits.view_decisions")
    state = request.GET.get("state", ClaimState.SUBMITTED)
    if state not in ClaimState.values:
        state = ClaimState.SUBMITTED
    return render(
        request,
        "credits/decisions.html",
        {
            "claims": selectors.claim_list(user=request.user, state=state)[:100],
            "deferrals": selectors.deferral_list(user=request.user, state=state)[:100],
            "state": state,
            "states": ClaimState.choices,
            "submitted": DeferralState.SUBMITTED,
        },
    )


# --- staff: rules, categories, session grants ------------------------------------------------------


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    require_perm(request, "credits.manage_rules")
    return render(
        request,
        "credits/rules.html",
        {"rules": selectors.rule_list(), "categories": selectors.category_list()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, "credits.manage_rules")
    rule = None
    if pk is not None:
        rule = selectors.rule_list().filter(pk=pk).first()
        if rule is None:
            raise Http404
    categories = list(HourCategory.objects.filter(is_active=True))
    form = RuleForm(request.POST or None, categories=categories, rule=rule)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("min_") or k == "min_hours"}
        try:
            services.rule_save(actor=request.user, rule=rule, minimums=form.minimums(), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The rule is saved."))
            return redirect("credits:rules")
    title = _("Change the rule") if rule else _("New rule")
    return render(request, "credits/form.html", {"form": form, "title": title, "back": reverse("credits:rules")})


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require_perm(request, "credits.manage_rules")
    category = None
    if pk is not None:
        category = HourCategory.objects.filter(pk=pk).first()
        if category is None:
            raise Http404
    initial = (
        {
            "code": category.code,
            "name_zh": category.name_zh,
            "name_en": category.name_en,
            "sort_order": category.sort_order,
            "is_active": category.is_active,
        }
        if category
        else None
    )
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_save(actor=request.user, category=category, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The hour category is saved."))
            return redirect("credits:rules")
    title = _("Change the hour category") if category else _("New hour category")
    return render(request, "credits/form.html", {"form": form, "title": title, "back": reverse("credits:rules")})


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    require_perm(request, "credits.grant_session_hours")
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    page = Paginator(selectors.credited_sessions(year=year), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "credits/sessions.html", {"page": page, "year": year, "querystring": params.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def session_hours(request: HttpRequest, pk: int) -> HttpResponse:
    session = Session.objects.select_related("series").filter(pk=pk).first()
    if session is None:
        raise Http404
    require_perm(request, "credits.grant_session_hours", session)
    credit = selectors.session_credit_of(session)
    categories = list(HourCategory.objects.filter(is_active=True))
    initial = {"online_mode": credit.online_mode if credit else "threshold"}
    if credit:
        initial.update({f"hours_{row.category_id}": row.hours for row in credit.hours.all()})
    form = SessionHoursForm(request.POST or None, categories=categories, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_hours_set(
                actor=request.user, session=session, hours=form.hours(), online_mode=form.cleaned_data["online_mode"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session's credit hours are saved."))
            return redirect("credits:sessions")
    return render(
        request,
        "credits/form.html",
        {
            "form": form,
            "title": _("Credit hours of %(session)s") % {"session": f"{session.date:%Y-%m-%d} {session.title}"},
            "back": reverse("credits:sessions"),
        },
    )
