"""Excel export of plans and the PDF summary of one plan, scoped by the requesting user."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from huifu.core import spreadsheets
from huifu.core.http import require_perm

from .. import selectors
from ..exports import plan_pdf, plans_workbook
from ..models import PlanStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def plans_export(request: HttpRequest, year: int) -> HttpResponse:
    require_perm(request, "deepening.export_plans")
    return spreadsheets.download(plans_workbook(user=request.user, year=year), f"deepening-plans-{year}.xlsx")


@login_required
def plan_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from huifu.budget.selectors import allocation_figures_for

    require_perm(request, "deepening.view_plan_list")
    plan = selectors.plan_get(user=request.user, plan_id=pk)
    figures = allocation_figures_for(plan) if plan.status in PlanStatus.funded() else None
    response = HttpResponse(plan_pdf(plan=plan, figures=figures), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="deepening-plan-{plan.pk}.pdf"'
    return response
