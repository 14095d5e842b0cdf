"""Settlement pages. Staff: runs (list, create, detail with statements, compute, review, return,
approve, export). Members: their own statements of approved runs (list, detail, export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record
from huifu.core import spreadsheets
from huifu.core.http import add_service_errors, require_perm

from . import selectors, services
from .explain import describe_all, is_private
from .exports import workbook_bytes
from .forms import CancelForm, ReturnForm, RunForm
from .models import SettlementStatus
from .progress import run_progress

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def settlement_list(request: HttpRequest) -> HttpResponse:
    """Staff: the runs. Members: their own statements."""
    require_perm(request, "settlements.view_settlement_list")
    user = request.user
    if user.has_perm("settlements.view_run"):
        page = Paginator(selectors.runs_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request, "settlements/run_list.html", {"page": page, "can_run": user.has_perm("settlements.run_settlement")}
        )
    page = Paginator(selectors.statements_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "settlements/statement_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def run_create(request: HttpRequest) -> HttpResponse:
    require_perm(request, "settlements.run_settlement")
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.settlement_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(run.get_absolute_url())
    return render(request, "settlements/run_form.html", {"form": form})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "settlements.view_run")
    run = selectors.run_get(user=request.user, run_id=pk)
    page = Paginator(selectors.statements_of_run(user=request.user, run=run), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    user = request.user
    flags = {
        "return_form": ReturnForm(),
        "cancel_form": CancelForm(),
        "can_compute": run.is_recomputable and user.has_perm("settlements.run_settlement"),
        "can_cancel": run.status in SettlementStatus.live() - SettlementStatus.terminal()
        and user.has_perm("settlements.run_settlement"),
        "can_verify": bool(run.inputs),
        "can_review": run.status == "computed" and user.has_perm("settlements.review_settlement", run),
        "can_return": run.status == "reviewed" and user.has_perm("settlements.review_settlement", run),
        "can_approve": run.status == "reviewed" and user.has_perm("settlements.approve_settlement", run),
    }
    return render(
        request,
        "settlements/run_detail.html",
        {"run": run, "page": page, **flags, "stepper": run_progress(run, flags=flags)},
    )


def _act(request: HttpRequest, pk: int, action: Any, done: str, **kwargs: Any) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=pk)
    try:
        action(run=run, actor=request.user, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(run.get_absolute_url())


@login_required
@require_POST
def run_compute(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "settlements.run_settlement")
    return _act(request, pk, services.settlement_compute, _("Settlement computed."))


@login_required
@require_POST
def run_review(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=pk) if request.user.has_perm("settlements.view_run") else None
    require_perm(request, "settlements.review_settlement", run)
    return _act(request, pk, services.settlement_review, _("Settlement marked reviewed."))


@login_required
@require_POST
def run_return(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=pk) if request.user.has_perm("settlements.view_run") else None
    require_perm(request, "settlements.review_settlement", run)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the settlement goes back."))
        return redirect(run.get_absolute_url())
    return _act(request, pk, services.settlement_return, _("Settlement sent back."), reason=form.cleaned_data["reason"])


@login_required
@require_POST
def run_approve(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=pk) if request.user.has_perm("settlements.view_run") else None
    require_perm(request, "settlements.approve_settlement", run)
    return _act(request, pk, services.settlement_approve, _("Settlement approved; members can see their statements."))


@login_required
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "settlements.run_settlement")
    run = selectors.run_get(user=request.user, run_id=pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the settlement is cancelled."))
        return redirect(run.get_absolute_url())
    return _act(request, pk, services.settlement_cancel, _("Settlement cancelled."), reason=form.cleaned_data["reason"])


@login_required
def run_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Recompute the run from its stored inputs and show match / mismatch per line (read-only)."""
    require_perm(request, "settlements.view_run")
    run = selectors.run_get(user=request.user, run_id=pk)
    return render(
        request, "settlements/run_verify.html", {"run": run, "verification": services.settlement_verification(run)}
    )


@login_required
def run_export(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "settlements.view_run")
    run = selectors.run_get(user=request.user, run_id=pk)
    data = workbook_bytes(
        run.project.code,
        selectors.lines_of_run(run),
        statements=selectors.statements_of_run(user=request.user, run=run),
        run=run,
    )
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=run)
    return spreadsheets.download(data, f"settlement-{run.pk}.xlsx")


@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "settlements.view_settlement_list")
    statement = selectors.statement_get(user=request.user, statement_id=pk)
    private = is_private(request.user, statement.run)
    lines = [(line, describe_all(line.explanation, private=private)) for line in statement.lines.all()]
    return render(
        request,
        "settlements/statement_detail.html",
        {
            "statement": statement,
            "lines": lines,
            "summary": describe_all(statement.explanation, private=private),
            "header": selectors.statement_header(statement),
            "is_staff": request.user.has_perm("settlements.view_run"),
        },
    )


@login_required
def statement_export(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "settlements.view_settlement_list")
    statement = selectors.statement_get(user=request.user, statement_id=pk)
    data = workbook_bytes(
        statement.run.project.code,
        statement.lines.all(),
        organisation=statement.organisation,
        statements=[statement],
        private=is_private(request.user, statement.run),
    )
    audit_record(actor=request.user, action=AuditAction.EXPORT, target=statement)
    return spreadsheets.download(data, f"statement-{statement.pk}.xlsx")
