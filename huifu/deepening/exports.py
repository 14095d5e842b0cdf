"""Plans to Excel (per year, with approved and paid amounts) and one plan to PDF.

Both read through the selectors with the requesting user, so a member exports its own plans
and a regulator only the plans of its region.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.styles import Font

from huifu.core import spreadsheets

from . import selectors
from .models import DeepeningPlan

MONEY_FORMAT = "#,##0.00"


def plans_workbook(*, user: Any, year: int | None) -> bytes:
    wb = spreadsheets.workbook()
    ws = wb.active
    ws.title = (_("Deep-cultivation plans") if year is None else f"{year}")[:31]
    headers = [
        _("Year"),
        _("Plan"),
        _("Member"),
        _("Status"),
        _("Enterprises"),
        _("Regions"),
        _("Requested (CNY)"),
        _("Approved (CNY)"),
        _("Invoiced (CNY)"),
        _("Paid (CNY)"),
        _("Submitted"),
        _("Decided"),
    ]
    spreadsheets.append(ws, headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    totals = {"requested": Decimal("0"), "approved": Decimal("0"), "invoiced": Decimal("0"), "paid": Decimal("0")}
    for plan in selectors.plan_export_rows(user=user, year=year):
        entries = list(plan.enterprises.all())
        approved = plan.approved_amount or Decimal("0.00")
        spreadsheets.append(
            ws,
            [
                plan.year,
                plan.title,
                str(plan.member),
                str(plan.get_status_display()),
                "、".join(str(e.profile) for e in entries),
                "、".join(dict.fromkeys(e.profile.get_region_display() for e in entries)),
                plan.requested,
                approved,
                plan.invoiced,
                plan.paid,
                timezone.localtime(plan.submitted_at).strftime("%Y-%m-%d") if plan.submitted_at else "",
                timezone.localtime(plan.decided_at).strftime("%Y-%m-%d") if plan.decided_at else "",
            ],
        )
        totals["requested"] += plan.requested
        totals["approved"] += approved
        totals["invoiced"] += plan.invoiced
        totals["paid"] += plan.paid
    spreadsheets.append(
        ws,
        [
            "",
            _("Total"),
            "",
            "",
            "",
            "",
            totals["requested"],
            totals["approved"],
            totals["invoiced"],
            totals["paid"],
            "",
            "",
        ],
    )
    ws[ws.max_row][1].font = Font(bold=True)
    for row in ws.iter_rows(min_row=2, min_col=7, max_col=10):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for column, width in zip("ABCDEFGHIJKL", (6, 36, 24, 12, 40, 16, 14, 14, 14, 14, 12, 12), strict=True):
        ws.column_dimensions[column].width = width
    return spreadsheets.to_bytes(wb)


def plan_pdf(*, plan: DeepeningPlan, figures: dict[str, Any] | None) -> bytes:
    """A one-to-two page summary of a plan: parties, enterprises, activities and progress, money."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from huifu.budget.money import yuan
    from huifu.core import pdf

    h2, title, small = "h2", "title", "small"

    def p(text: Any, style: str = "body") -> Any:
        return pdf.para(text, style)

    def table(rows: list[list[Any]], widths: list[float]) -> Any:
        return pdf.table(rows, widths, style="small")

    story: list[Any] = [
        p(_("Enterprise deep-cultivation plan"), h2),
        p(plan.title, title),
        p(f"{_('Member')}: {plan.member}　{_('Year')}: {plan.year}　{_('Status')}: {plan.get_status_display()}"),
        p(f"{_('Period')}: {plan.period_start:%Y-%m-%d} – {plan.period_end:%Y-%m-%d}"),
        Spacer(1, 4 * mm),
        p(_("Overall objectives"), h2),
        p(plan.objectives),
        p(_("Enterprises"), h2),
        table(
            [[_("Enterprise"), _("Region"), _("Situation"), _("Selected"), _("Objectives")]]
            + [
                [
                    e.profile,
                    e.profile.get_region_display(),
                    e.profile.get_situation_display(),
                    {True: _("yes"), False: _("no"), None: "—"}[e.selected],
                    e.objectives,
                ]
                for e in plan.enterprises.all()
            ],
            [45 * mm, 18 * mm, 25 * mm, 14 * mm, 68 * mm],
        ),
        p(_("Activities and progress"), h2),
        table(
            [[_("Planned"), _("Kind"), _("Activity"), _("Progress"), _("Attendance"), _("Report")]]
            + [
                [
                    f"{a.planned_date:%Y-%m-%d}",
                    a.get_kind_display(),
                    a.title,
                    a.get_status_display() + (f" {a.done_date:%Y-%m-%d}" if a.done_date else ""),
                    a.attendance if a.attendance is not None else "",
                    a.report,
                ]
                for a in plan.activities.all()
            ],
            [20 * mm, 18 * mm, 43 * mm, 27 * mm, 17 * mm, 45 * mm],
        ),
        p(_("Money (CNY)"), h2),
    ]
    requested = sum((line.amount for line in plan.budget_lines.all()), Decimal("0.00"))
    money_rows = [
        [pgettext("amount", "Requested"), _("Approved"), _("Invoiced"), _("Paid")],
        [
            yuan(requested),
            yuan(plan.approved_amount) if plan.approved_amount is not None else "—",
            yuan(figures["invoiced"]) if figures else "—",
            yuan(figures["paid"]) if figures else "—",
        ],
    ]
    story.append(table(money_rows, [42.5 * mm] * 4))
    if plan.completion_summary:
        story += [p(_("Completion summary"), h2), p(plan.completion_summary)]
    story += [
        Spacer(1, 6 * mm),
        p(_("Generated %(time)s by Huifu") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}, small),
    ]
    return pdf.build(story, title=plan.title, author="Huifu", margins_mm=(15, 15, 15, 15))
