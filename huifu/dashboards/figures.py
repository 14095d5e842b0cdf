"""The dashboards' figures: one year, one role scope, every programme.

Each figure is one set-based query (``values(…).annotate(…)`` — one GROUP BY), so a dashboard
runs the same number of queries whatever the year holds. The service desk's figures are read
from its summary (``servicedesk.ReportFigure``, recomputed by ``servicedesk_report_refresh``)
for the exchange and a department, with the summary's "as of" time; a member company's own
feedback is counted live (a few hundred rows at most, on the ``organisation`` index).

A computed dashboard is cached per (year, scope) for ``CACHE_SECONDS`` and shows when it was
computed ("as of"). Panels hold lazy labels, so one cached dashboard renders in the reader's
language.

Scopes (``Scope.kind``):

* ``exchange`` — management: every programme, exchange-wide.
* ``department`` — the department's feedback, its budget pools, the incentive projects it runs.
* ``member`` — one company's own records only; no figure includes another company's records,
  so nothing can be derived by subtracting the company's own figures from a total.
* ``regulator`` — the enterprise plans whose enterprises are in the bureau's region.
* ``public`` — exchange-wide counts for the public page; small counts are suppressed there
  (``suppress``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

CACHE_SECONDS = 600
CACHE_VERSION = 2
MONEY = DecimalField(max_digits=20, decimal_places=2)
ZERO = Decimal("0")
SATISFIED_FROM = 4


@dataclass(frozen=True)
class Scope:
    kind: str  # exchange | department | member | regulator | public
    ref: str = ""  # department id, organisation id or region code
    name: str = ""  # the department's Chinese name (the service desk's summary key)

    @property
    def ident(self) -> int | None:
        return int(self.ref) if self.ref else None


@dataclass
class Table:
    columns: list[Any]
    rows: list[list[Any]]
    total: list[Any] | None = None


@dataclass
class Panel:
    key: str
    title: Any
    definitions: list[str]
    table: Table
    chart: str = "bar"  # bar | line | hbar
    series: list[int] = field(default_factory=lambda: [1])  # plotted columns
    note: Any = ""
    as_of: datetime.datetime | None = None  # the summary's time when read from one


@dataclass
class Dashboard:
    year: int
    scope: Scope
    as_of: datetime.datetime
    panels: list[Panel]

    def panel(self, key: str) -> Panel:
        return next(p for p in self.panels if p.key == key)


def _month_label(n: int) -> str:
    return pgettext("dashboards month", "M%(month)d") % {"month": n}


month_label = lazy(_month_label, str)
MONTH = pgettext_lazy("dashboards", "Month")
TOTAL = pgettext_lazy("dashboards", "Total")
NONE_GIVEN = pgettext_lazy("dashboards", "(none)")


def money(value: Any) -> Decimal:
    """An amount in yuan with two decimals (SQLite's SUM drops the scale)."""
    return Decimal(value or 0).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(part: Any, whole: Any) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _months(rows: dict[int, list[Any]], width: int) -> list[list[Any]]:
    return [[month_label(m), *rows.get(m, [0] * width)] for m in range(1, 13)]


def _sum_columns(rows: list[list[Any]]) -> list[Any]:
    width = len(rows[0]) if rows else 0
    return [TOTAL, *(sum((r[i] or 0) for r in rows) for i in range(1, width))]


# --- service desk ------------------------------------------------------------------------------


def _feedback(year: int, scope: Scope) -> list[Panel]:
    from huifu.servicedesk.models import FeedbackItem, ItemStatus, ReportDimension, ReportFigure, ReportSnapshot
    from huifu.servicedesk.services.common import ITEM_KIND
    from huifu.tracking.models import TrackedItem

    monthly: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_department: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_topic: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    snapshot = None
    if scope.kind in ("exchange", "department", "public"):
        snapshot = ReportSnapshot.objects.order_by("-refreshed_at").first()
    if snapshot is not None:
        figures = ReportFigure.objects.filter(day__year=year)
        month_dimension = ReportDimension.CHANNEL
        if scope.kind == "department":
            figures = figures.filter(dimension=ReportDimension.DEPARTMENT, key=scope.name)
            month_dimension = ReportDimension.DEPARTMENT
        for row in (
            figures.values("dimension", "key", m=ExtractMonth("day"))
            .annotate(r=Sum("received"), a=Sum("answered"), o=Sum("on_time"))
            .order_by()
        ):
            values = (row["r"], row["a"], row["o"])
            target = {
                ReportDimension.DEPARTMENT: by_department,
                ReportDimension.TOPIC: by_topic,
            }.get(row["dimension"])
            if target is not None:
                _add(target[row["key"] or ""], values)
            if row["dimension"] == month_dimension:
                _add(monthly[row["m"]], values)
    else:
        items = FeedbackItem.objects.exclude(form__status="draft").filter(form__received_at__year=year)
        if scope.kind == "member":
            items = items.filter(organisation_id=scope.ident)
        elif scope.kind == "department":
            items = items.filter(departments=scope.ident)
        # "On time": an index lookup per item (the partial index ``tracking_on_time_target``).
        # Not ``pk IN (SELECT …)``: beyond ``work_mem`` PostgreSQL runs that as a plain SubPlan,
        # a scan of the on-time set per item (minutes at 10^6 items).
        on_time = TrackedItem.objects.filter(
            target_type=ContentType.objects.get_for_model(FeedbackItem),
            kind=ITEM_KIND,
            on_time=True,
            target_id=Cast(OuterRef("pk"), CharField()),
        )
        aggregates = {
            "r": Count("pk"),
            "a": Count("pk", filter=Q(status__in=ItemStatus.answered())),
            "o": Count("pk", filter=Q(Exists(on_time))),
        }
        items = items.order_by()
        for row in items.values(m=ExtractMonth("form__received_at")).annotate(**aggregates):
            _add(monthly[row["m"]], (row["r"], row["a"], row["o"]))
        if scope.kind != "department":
            for row in items.values(k=F("departments__name_zh")).annotate(**aggregates):
                _add(by_department[row["k"] or ""], (row["r"], row["a"], row["o"]))
        for row in items.values(k=F("topics__name")).annotate(**aggregates):
            _add(by_topic[row["k"] or ""], (row["r"], row["a"], row["o"]))

    as_of = snapshot.refreshed_at if snapshot else None
    columns = [
        MONTH,
        pgettext_lazy("dashboards", "Received"),
        pgettext_lazy("dashboards", "Answered"),
        pgettext_lazy("dashboards", "Answered on time"),
        pgettext_lazy("dashboards", "On time (%)"),
    ]
    rows = [[*r, percent(r[3], r[1])] for r in _months(monthly, 3)]
    total = _sum_columns([r[:4] for r in rows])
    total.append(percent(total[3], total[1]))
    panels = [
        Panel(
            "feedback-months",
            pgettext_lazy("dashboards", "Feedback received and answered"),
            ["feedback_received", "feedback_answered", "feedback_on_time"],
            Table(columns, rows, total),
            chart="line",
            series=[1, 2, 3],
            as_of=as_of,
        )
    ]
    group_columns = columns[1:4]
    for key, title, label, data in (
        ("feedback-departments", pgettext_lazy("dashboards", "Feedback by department"), _("Department"), by_department),
        ("feedback-topics", pgettext_lazy("dashboards", "Feedback by topic"), _("Topic"), by_topic),
    ):
        if key == "feedback-departments" and scope.kind == "department":
            continue
        if scope.kind == "public":
            continue
        group_rows = [
            [name or (_("(not assigned)") if key == "feedback-departments" else _("(no topic)")), *values]
            for name, values in sorted(data.items(), key=lambda kv: (kv[0] == "", -kv[1][0], kv[0]))
        ]
        panels.append(
            Panel(
                key,
                title,
                ["feedback_received", "feedback_answered", "feedback_on_time"],
                Table([label, *group_columns], group_rows),
                chart="hbar",
                series=[1, 2, 3],
                as_of=as_of,
            )
        )
    return panels


def _add(target: list[Any], values: Any) -> None:
    for i, v in enumerate(values):
        target[i] += v or 0


def _satisfaction(year: int, scope: Scope) -> Panel:
    from huifu.servicedesk.models import Satisfaction

    ratings = Satisfaction.objects.filter(reply__form__received_at__year=year)
    if scope.kind == "member":
        ratings = ratings.filter(reply__form__organisation_id=scope.ident)
    elif scope.kind == "department":
        ratings = ratings.filter(reply__department_id=scope.ident)
    by_department: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in (
        ratings.values(k=F("reply__department__name_zh"))
        .annotate(n=Count("pk"), s=Count("pk", filter=Q(rating__gte=SATISFIED_FROM)), t=Sum("rating"))
        .order_by()
    ):
        _add(by_department[row["k"] or ""], (row["n"], row["s"], row["t"]))
    rows = [
        [name or _("(not assigned)"), n, s, percent(s, n), _average(t, n)]
        for name, (n, s, t) in sorted(by_department.items(), key=lambda kv: (kv[0] == "", kv[0]))
    ]
    n = sum(r[1] for r in rows)
    s = sum(r[2] for r in rows)
    t = sum(v[2] for v in by_department.values())
    return Panel(
        "feedback-satisfaction",
        pgettext_lazy("dashboards", "Satisfaction with replies"),
        ["feedback_satisfaction"],
        Table(
            [
                _("Department"),
                pgettext_lazy("dashboards", "Ratings"),
                pgettext_lazy("dashboards", "Satisfied"),
                pgettext_lazy("dashboards", "Satisfaction (%)"),
                pgettext_lazy("dashboards", "Average rating"),
            ],
            rows,
            [TOTAL, n, s, percent(s, n), _average(t, n)],
        ),
        chart="hbar",
        series=[3],
    )


def _average(total: Any, count: Any) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- visits ------------------------------------------------------------------------------------


def _visits(year: int, scope: Scope) -> Panel:
    from huifu.visits.models import VisitRequest, VisitStatus

    visits = VisitRequest.objects.filter(received_at__year=year)
    if scope.kind == "member":
        visits = visits.filter(organisation_id=scope.ident)
    monthly = {
        row["m"]: [row["n"], row["h"], row["c"]]
        for row in visits.values(m=ExtractMonth("received_at"))
        .annotate(
            n=Count("pk"),
            h=Count("pk", filter=Q(status=VisitStatus.HELD)),
            c=Count("pk", filter=Q(status=VisitStatus.CANCELLED)),
        )
        .order_by()
    }
    rows = _months(monthly, 3)
    return Panel(
        "visits",
        pgettext_lazy("dashboards", "Visits"),
        ["visits"],
        Table(
            [
                MONTH,
                pgettext_lazy("dashboards", "Requested"),
                pgettext_lazy("dashboards visit", "Received"),
                pgettext_lazy("dashboards", "Cancelled"),
            ],
            rows,
            _sum_columns(rows),
        ),
        series=[1, 2],
    )


# --- activities and budget ---------------------------------------------------------------------


def _activities(year: int, scope: Scope) -> list[Panel]:
    from huifu.activities.models import Activity, ActivityKind, ActivityStatus

    S = ActivityStatus
    held = {S.HELD, S.SUMMARY_SUBMITTED, S.SUMMARY_RETURNED, S.SUMMARY_ACCEPTED, S.INVOICED, S.PAID, S.CLOSED}
    activities = Activity.objects.exclude(status=S.DRAFT).filter(submitted_at__year=year)
    if scope.kind == "member":
        activities = activities.filter(organisation_id=scope.ident)
    monthly: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in (
        activities.values("activity_type__kind", m=ExtractMonth("submitted_at"))
        .annotate(
            n=Count("pk"),
            a=Count("pk", filter=Q(status__in=S.funded())),
            h=Count("pk", filter=Q(status__in=held)),
            p=Count("pk", filter=Q(status__in=(S.PAID, S.CLOSED))),
        )
        .order_by()
    ):
        values = (row["n"], row["a"], row["h"], row["p"])
        _add(monthly[row["m"]], values)
        _add(by_kind[row["activity_type__kind"]], values)
    columns = [
        pgettext_lazy("dashboards", "Applied"),
        pgettext_lazy("dashboards", "Approved"),
        pgettext_lazy("dashboards", "Held"),
        pgettext_lazy("dashboards", "Paid"),
    ]
    rows = _months(monthly, 4)
    labels = dict(ActivityKind.choices)
    kind_rows = [[labels.get(kind, kind), *values] for kind, values in sorted(by_kind.items())]
    if scope.kind == "public":
        return [
            Panel(
                "activities-kinds",
                pgettext_lazy("dashboards", "Market activities held by kind"),
                ["activities"],
                Table([_("Kind"), columns[2]], [[r[0], r[3]] for r in kind_rows]),
                chart="hbar",
            )
        ]
    return [
        Panel(
            "activities-months",
            pgettext_lazy("dashboards", "Co-hosted market activities"),
            ["activities"],
            Table([MONTH, *columns], rows, _sum_columns(rows)),
            series=[1, 2, 3, 4],
        ),
        Panel(
            "activities-kinds",
            pgettext_lazy("dashboards", "Activities by kind"),
            ["activities"],
            Table([_("Kind"), *columns], kind_rows),
            chart="hbar",
            series=[1, 2, 3, 4],
        ),
    ]


def _budget(year: int, scope: Scope) -> Panel:
    from huifu.budget.models import Allocation, AllocationStatus, BudgetPool, Payment

    if scope.kind == "member":
        # The company's own allocations only: what was approved for it and paid to it.
        paid = (
            Payment.objects.filter(allocation=OuterRef("pk"))
            .order_by()
            .values("allocation")
            .annotate(s=Sum("amount"))
            .values("s")
        )
        rows: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for row in (
            Allocation.objects.filter(pool__year=year, organisation_id=scope.ident, status=AllocationStatus.ACTIVE)
            .annotate(paid=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY))
            .values("pool__name", "approved_amount", "paid")
            .order_by()
        ):
            _add(rows[row["pool__name"]], (money(row["approved_amount"]), money(row["paid"])))
        table_rows = [[name, *values] for name, values in sorted(rows.items())]
        return Panel(
            "budget",
            pgettext_lazy("dashboards", "Funding approved and paid"),
            ["budget"],
            Table(
                [
                    pgettext_lazy("dashboards", "Budget"),
                    pgettext_lazy("dashboards", "Approved (CNY)"),
                    pgettext_lazy("dashboards", "Paid (CNY)"),
                ],
                table_rows,
                _sum_columns(table_rows) if table_rows else None,
            ),
            chart="hbar",
            series=[1, 2],
        )
    allocated = (
        Allocation.objects.filter(pool=OuterRef("pk"), status=AllocationStatus.ACTIVE)
        .order_by()
        .values("pool")
        .annotate(s=Sum("approved_amount"))
        .values("s")
    )
    paid = (
        Payment.objects.filter(allocation__pool=OuterRef("pk"))
        .order_by()
        .values("allocation__pool")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    pools = BudgetPool.objects.filter(year=year)
    if scope.kind == "department":
        pools = pools.filter(department_id=scope.ident)
    table_rows = [
        [
            row["name"],
            money(row["amount"]),
            money(row["allocated"]),
            money(row["paid"]),
            percent(row["paid"], row["amount"]),
        ]
        for row in pools.annotate(
            allocated=Coalesce(Subquery(allocated, output_field=MONEY), Value(ZERO), output_field=MONEY),
            paid=Coalesce(Subquery(paid, output_field=MONEY), Value(ZERO), output_field=MONEY),
        )
        .values("name", "amount", "allocated", "paid")
        .order_by("name")
    ]
    total = _sum_columns([r[:4] for r in table_rows]) if table_rows else None
    if total:
        total.append(percent(total[3], total[1]))
    return Panel(
        "budget",
        pgettext_lazy("dashboards", "Budget used against the pools"),
        ["budget"],
        Table(
            [
                pgettext_lazy("dashboards", "Budget pool"),
                pgettext_lazy("dashboards", "Pool (CNY)"),
                pgettext_lazy("dashboards", "Allocated (CNY)"),
                pgettext_lazy("dashboards", "Paid (CNY)"),
                pgettext_lazy("dashboards", "Paid of pool (%)"),
            ],
            table_rows,
            total,
        ),
        chart="hbar",
        series=[1, 2, 3],
    )


# --- incentives and settlements ----------------------------------------------------------------


def _incentives(year: int, scope: Scope) -> list[Panel]:
    from huifu.incentives.models import Participation, ParticipationStatus, Project
    from huifu.settlements.models import LineKind, SettlementLine, SettlementStatus

    P = ParticipationStatus
    after_approval = (P.TRACKING, P.ACCEPTANCE_REVIEW, P.ACCEPTED, P.FAILED, P.CLOSING_REVIEW, P.CLOSED)
    lines = SettlementLine.objects.filter(
        statement__run__project__year=year, statement__run__status=SettlementStatus.APPROVED
    )
    participations = Participation.objects.filter(project__year=year).exclude(status=P.WITHDRAWN)
    if scope.kind == "member":
        lines = lines.filter(statement__organisation_id=scope.ident)
        participations = participations.filter(organisation_id=scope.ident)
    elif scope.kind == "department":
        lines = lines.filter(statement__run__project__department_id=scope.ident)
        participations = participations.filter(project__department_id=scope.ident)
    lines = lines.order_by()
    amounts = {
        row["statement__run__project_id"]: money(row["s"])
        for row in lines.values("statement__run__project_id").annotate(s=Sum("amount"))
    }
    by_project = {
        row["project_id"]: [row["n"], row["a"]]
        for row in participations.values("project_id")
        .annotate(n=Count("pk"), a=Count("pk", filter=Q(status__in=after_approval)))
        .order_by()
    }
    projects = Project.objects.filter(pk__in=set(by_project) | set(amounts)).order_by("code")
    if scope.kind == "exchange" or scope.kind == "department":
        projects = Project.objects.filter(year=year).exclude(status="draft").order_by("code")
        if scope.kind == "department":
            projects = projects.filter(department_id=scope.ident)
    project_rows = [
        [f"{p['code']} {p['name_zh']}", *by_project.get(p["pk"], [0, 0]), money(amounts.get(p["pk"]))]
        for p in projects.values("pk", "code", "name_zh")
    ]
    product_rows = []
    for row in (
        lines.filter(kind=LineKind.PRODUCT)
        .values("product__code", "product__name_zh")
        .annotate(s=Sum("amount"), members=Count("statement__organisation", distinct=True))
        .order_by("product__code")
    ):
        label = f"{row['product__name_zh']}（{row['product__code']}）"
        amount = money(row["s"])
        product_rows.append([label, row["members"], amount] if scope.kind != "member" else [label, amount])
    monthly = {
        row["m"]: [money(row["s"])]
        for row in lines.values(m=ExtractMonth("statement__run__period_end")).annotate(s=Sum("amount"))
    }
    month_rows = [[r[0], money(r[1])] for r in _months(monthly, 1)]
    project_columns = [
        pgettext_lazy("dashboards", "Project"),
        pgettext_lazy("dashboards", "Participations"),
        pgettext_lazy("dashboards", "Approved"),
        pgettext_lazy("dashboards", "Reductions (CNY)"),
    ]
    product_columns = [pgettext_lazy("dashboards", "Product")]
    if scope.kind != "member":
        product_columns.append(pgettext_lazy("dashboards", "Members"))
    product_columns.append(pgettext_lazy("dashboards", "Reductions (CNY)"))
    return [
        Panel(
            "incentive-projects",
            pgettext_lazy("dashboards", "Incentive projects"),
            ["incentives"],
            Table(project_columns, project_rows, _sum_columns(project_rows) if project_rows else None),
            chart="hbar",
            series=[1, 2],
        ),
        Panel(
            "fee-reductions-products",
            pgettext_lazy("dashboards", "Fee reductions by product"),
            ["fee_reductions"],
            Table(product_columns, product_rows, _sum_columns(product_rows) if product_rows else None),
            chart="hbar",
            series=[len(product_columns) - 1],
        ),
        Panel(
            "fee-reductions-months",
            pgettext_lazy("dashboards", "Fee reductions by month"),
            ["fee_reductions"],
            Table([MONTH, pgettext_lazy("dashboards", "Reductions (CNY)")], month_rows, _sum_columns(month_rows)),
        ),
    ]


# --- enterprise plans --------------------------------------------------------------------------


def _deepening(year: int, scope: Scope) -> list[Panel]:
    from huifu.deepening.models import (
        DeepeningPlan,
        EnterpriseSituation,
        PlanEnterprise,
        PlanStatus,
        profile_region_q,
    )
    from huifu.directory.regions import Region

    plans = DeepeningPlan.objects.filter(year=year).exclude(status=PlanStatus.DRAFT)
    entries = PlanEnterprise.objects.filter(plan__year=year).exclude(plan__status=PlanStatus.DRAFT)
    if scope.kind == "member":
        plans = plans.filter(member_id=scope.ident)
        entries = entries.filter(plan__member_id=scope.ident)
    elif scope.kind == "regulator":
        in_region = profile_region_q(scope.ref, "profile__")
        plans = plans.filter(pk__in=PlanEnterprise.objects.filter(in_region).values("plan_id"))
        entries = entries.filter(in_region)
    statuses = dict(PlanStatus.choices)
    monthly: dict[int, list[Any]] = defaultdict(lambda: [0])
    by_status: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    for row in (
        plans.values("status", m=ExtractMonth("submitted_at"))
        .annotate(n=Count("pk"), amount=Sum("approved_amount"))
        .order_by()
    ):
        _add(by_status[row["status"]], (row["n"], money(row["amount"])))
        if row["m"]:
            _add(monthly[row["m"]], (row["n"],))
    situations = dict(EnterpriseSituation.choices)
    regions = dict(Region.choices)
    by_situation: dict[str, int] = defaultdict(int)
    by_region: dict[str, int] = defaultdict(int)
    for row in (
        entries.values(
            situation=F("profile__situation"),
            region=Coalesce(F("profile__enterprise__region"), F("profile__pending_region")),
        )
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_situation[row["situation"]] += row["n"]
        by_region[row["region"] or ""] += row["n"]
    status_rows = [[statuses[s], *by_status[s]] for s in PlanStatus.values if s in by_status]
    situation_rows = [[situations[s], by_situation[s]] for s in EnterpriseSituation.values if s in by_situation]
    region_rows = [
        [regions.get(r, NONE_GIVEN) if r else NONE_GIVEN, n]
        for r, n in sorted(by_region.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    month_rows = _months(monthly, 1)
    enterprises = pgettext_lazy("dashboards", "Enterprises")
    return [
        Panel(
            "plans-months",
            pgettext_lazy("dashboards", "Enterprise plans submitted"),
            ["deepening"],
            Table([MONTH, pgettext_lazy("dashboards", "Plans")], month_rows, _sum_columns(month_rows)),
        ),
        Panel(
            "plans-status",
            pgettext_lazy("dashboards", "Enterprise plans by state"),
            ["deepening"],
            Table(
                [_("Status"), pgettext_lazy("dashboards", "Plans"), pgettext_lazy("dashboards", "Approved (CNY)")],
                status_rows,
                _sum_columns(status_rows) if status_rows else None,
            ),
            chart="hbar",
        ),
        Panel(
            "plans-situation",
            pgettext_lazy("dashboards", "Enterprises by situation"),
            ["deepening"],
            Table([pgettext_lazy("dashboards", "Situation"), enterprises], situation_rows),
            chart="hbar",
        ),
        Panel(
            "plans-region",
            pgettext_lazy("dashboards", "Enterprises by region"),
            ["deepening"],
            Table([pgettext_lazy("dashboards", "Region"), enterprises], region_rows),
            chart="hbar",
        ),
    ]


# --- investor education ------------------------------------------------------------------------


def _education(year: int, scope: Scope) -> list[Panel]:
    from huifu.certificates.models import Certificate, CertificateKind, CertificateState
    from huifu.credits.models import SessionHours
    from huifu.events.models import Audience, Registration, SeriesKind, Session, SessionState, SurveyResponse
    from huifu.events.services.surveys import attended_q

    today = timezone.localdate()
    attended = Registration.objects.filter(attended_q(), session__date__year=year).exclude(
        session__state=SessionState.CANCELLED
    )
    surveys = SurveyResponse.objects.filter(registration__session__date__year=year)
    certificates = Certificate.objects.filter(year=year, state=CertificateState.VALID)
    if scope.kind == "member":
        attended = attended.filter(organisation_id=scope.ident)
        surveys = surveys.filter(registration__organisation_id=scope.ident)
        certificates = certificates.filter(organisation_id=scope.ident)
    attended = attended.order_by()
    panels = []

    if scope.kind != "member":
        kinds = SeriesKind.values
        monthly: dict[int, list[int]] = defaultdict(lambda: [0] * len(kinds))
        for row in (
            Session.objects.filter(date__year=year, date__lte=today, state=SessionState.PUBLISHED)
            .values("series__kind", m=ExtractMonth("date"))
            .annotate(n=Count("pk"))
            .order_by()
        ):
            monthly[row["m"]][kinds.index(row["series__kind"])] += row["n"]
        rows = _months(monthly, len(kinds))
        labels = dict(SeriesKind.choices)
        panels.append(
            Panel(
                "sessions",
                pgettext_lazy("dashboards", "Talks and trainings held"),
                ["sessions"],
                Table([MONTH, *(labels[k] for k in kinds)], rows, _sum_columns(rows)),
                series=list(range(1, len(kinds) + 1)),
            )
        )

    people = {
        row["m"]: [row["n"], row["u"]]
        for row in attended.values(m=ExtractMonth("session__date")).annotate(
            n=Count("pk"), u=Count("person", distinct=True)
        )
    }
    year_unique = attended.aggregate(u=Count("person", distinct=True))["u"] or 0
    rows = _months(people, 2)
    total = _sum_columns(rows)
    total[2] = year_unique  # unique over the year, not the sum of the months
    panels.append(
        Panel(
            "people",
            pgettext_lazy("dashboards", "People reached"),
            ["people"],
            Table(
                [MONTH, pgettext_lazy("dashboards", "Attendances"), pgettext_lazy("dashboards", "Unique people")],
                rows,
                total,
            ),
            chart="line",
            series=[1, 2],
        )
    )

    audiences = dict(Audience.choices)
    audience_rows = [
        [audiences.get(row["audience"], NONE_GIVEN) if row["audience"] else NONE_GIVEN, row["n"]]
        for row in attended.values("audience").annotate(n=Count("pk")).order_by("-n", "audience")
    ]
    panels.append(
        Panel(
            "audience",
            pgettext_lazy("dashboards", "Audience mix"),
            ["audience"],
            Table(
                [pgettext_lazy("dashboards", "Audience"), pgettext_lazy("dashboards", "Attendances")],
                audience_rows,
                _sum_columns(audience_rows) if audience_rows else None,
            ),
            chart="hbar",
        )
    )
    if scope.kind == "public":
        return panels

    answers = {
        row["m"]: [row["n"], row["s"]]
        for row in surveys.values(m=ExtractMonth("registration__session__date"))
        .annotate(n=Count("pk"), s=Count("pk", filter=Q(overall__gte=SATISFIED_FROM)))
        .order_by()
    }
    rows = [[*r, percent(r[2], r[1])] for r in _months(answers, 2)]
    total = _sum_columns([r[:3] for r in rows])
    total.append(percent(total[2], total[1]))
    panels.append(
        Panel(
            "education-satisfaction",
            pgettext_lazy("dashboards", "Training satisfaction"),
            ["event_satisfaction"],
            Table(
                [
                    MONTH,
                    pgettext_lazy("dashboards", "Answers"),
                    pgettext_lazy("dashboards", "Satisfied"),
                    pgettext_lazy("dashboards", "Satisfaction (%)"),
                ],
                rows,
                total,
            ),
            chart="line",
            series=[3],
        )
    )

    session_hours = (
        SessionHours.objects.filter(credit__session=OuterRef("session"))
        .order_by()
        .values("credit__session")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    hours = {
        row["m"]: [Decimal(row["h"] or 0).quantize(Decimal("0.1"))]
        for row in attended.filter(session__credit__isnull=False)
        .annotate(granted=Subquery(session_hours, output_field=DecimalField(max_digits=10, decimal_places=1)))
        .values(m=ExtractMonth("session__date"))
        .annotate(h=Sum("granted"))
    }
    rows = _months(hours, 1)
    panels.append(
        Panel(
            "hours",
            pgettext_lazy("dashboards", "Credit hours granted"),
            ["hours"],
            Table([MONTH, pgettext_lazy("dashboards", "Hours")], rows, _sum_columns(rows)),
        )
    )
    kinds_c = dict(CertificateKind.choices)
    cert_rows = [
        [kinds_c.get(row["kind"], row["kind"]), row["n"]]
        for row in certificates.values("kind").annotate(n=Count("pk")).order_by("kind")
    ]
    panels.append(
        Panel(
            "certificates",
            pgettext_lazy("dashboards", "Certificates issued"),
            ["certificates"],
            Table(
                [_("Kind"), pgettext_lazy("dashboards", "Certificates")],
                cert_rows,
                _sum_columns(cert_rows) if cert_rows else None,
            ),
            chart="hbar",
        )
    )
    return panels


# --- universities ------------------------------------------------------------------------------


def _exchange_reader() -> Any:
    """Who the universities' selectors answer for exchange-wide coverage: every university (the
    figures are the same for every management user, so they are cached per year, not per user)."""
    from types import SimpleNamespace

    from huifu.accounts.models import UserKind

    return SimpleNamespace(is_authenticated=True, is_active=True, kind=UserKind.STAFF, organisation_id=None, pk=None)


def _universities(year: int, scope: Scope) -> list[Panel]:
    from huifu.universities import figures as uni

    coverage = uni.coverage(user=_exchange_reader(), year=year)
    f = coverage.figures
    rows = [
        [pgettext_lazy("dashboards", "Universities"), f["universities"]],
        [pgettext_lazy("dashboards", "Provinces"), f["provinces"]],
        [pgettext_lazy("dashboards", "Students"), f["students"]],
        [pgettext_lazy("dashboards", "Joint courses"), f["courses"]],
        [pgettext_lazy("dashboards", "Lectures"), f["lectures"]],
        [pgettext_lazy("dashboards", "Internships"), f["internships"]],
    ]
    panels = [
        Panel(
            "universities",
            pgettext_lazy("dashboards", "University coverage"),
            ["universities"],
            Table([pgettext_lazy("dashboards", "Figure"), pgettext_lazy("dashboards", "Count")], rows),
            chart="hbar",
        )
    ]
    if scope.kind == "exchange":
        per = [[r["university"], r["students"], r["courses"]] for r in coverage.per_university]
        panels.append(
            Panel(
                "universities-students",
                pgettext_lazy("dashboards", "Students per university"),
                ["universities"],
                Table(
                    [
                        pgettext_lazy("dashboards", "University"),
                        pgettext_lazy("dashboards", "Students"),
                        pgettext_lazy("dashboards", "Joint courses"),
                    ],
                    per,
                ),
                chart="hbar",
            )
        )
    return panels


# --- awards ------------------------------------------------------------------------------------


def _programme_rows(counts: dict[str, list[Any]]) -> list[list[Any]]:
    """One row per award programme kind, in the engine's order (member rating, overseas broker
    award, analyst selection), so the table reads the same every year."""
    from huifu.awards.models import ProgrammeKind

    return [[label, *counts[kind]] for kind, label in ProgrammeKind.choices]


def _awards(year: int, scope: Scope) -> list[Panel]:
    """The year's award programmes. Exchange-wide: evaluations and selections run, organisations
    evaluated or applications received, objections received and decided, winners published and
    revoked, per programme kind. A member: only its own results' published versions, its own
    applications and objections, its own winners and certificates — never a total of all
    applicants, never its rank among others (the published lists are not public). A department:
    the exchange-wide figures of the programmes it organises (``AwardProgramme.department``,
    ``Selection.department``) and no other."""
    from huifu.awards.models import Evaluation as AwardEvaluation
    from huifu.awards.models import (
        EvaluationState,
        Objection,
        ObjectionState,
        ProgrammeKind,
        PublishedList,
        SubjectResult,
        Winner,
        WinnerState,
    )
    from huifu.selections.models import Application, ResultRun, Selection

    kind = "programme__kind"
    decided = Q(state__in=(ObjectionState.UPHELD, ObjectionState.REJECTED))
    objections = Objection.objects.filter(evaluation__year=year)
    winners = Winner.objects.filter(edition__year=year)
    applications = Application.objects.filter(category__selection__year=year, submitted_at__isnull=False)
    evaluations = AwardEvaluation.objects.filter(year=year)
    selections = Selection.objects.filter(year=year)
    subject_results = SubjectResult.objects.filter(result_set__evaluation__year=year)
    if scope.kind == "member":
        objections = objections.filter(organisation_id=scope.ident)
        winners = winners.filter(organisation_id=scope.ident)
        applications = applications.filter(organisation_id=scope.ident)
    elif scope.kind == "department":
        department = scope.ident
        objections = objections.filter(evaluation__programme__department_id=department)
        # The analyst selection's programme belongs to the selection's organising department.
        winners = winners.filter(edition__programme__department_id=department)
        applications = applications.filter(category__selection__department_id=department)
        evaluations = evaluations.filter(programme__department_id=department)
        selections = selections.filter(department_id=department)
        subject_results = subject_results.filter(result_set__evaluation__programme__department_id=department)
    counts: dict[str, list[Any]] = {k: [0, 0, 0, 0, 0, 0] for k in ProgrammeKind.values}
    # The analyst selection takes no objections (its results are reviewed by experts instead).
    counts[ProgrammeKind.ANALYST][2] = counts[ProgrammeKind.ANALYST][3] = None
    if scope.kind == "member":
        for row in (
            PublishedList.objects.filter(evaluation__year=year, result_set__results__organisation_id=scope.ident)
            .values(k=F("evaluation__programme__kind"))
            .annotate(n=Count("pk", distinct=True))
            .order_by()
        ):
            counts[row["k"]][0] += row["n"]
        counts[ProgrammeKind.ANALYST][0] += (
            ResultRun.objects.filter(
                category__selection__year=year,
                published_at__isnull=False,
                rows__application__organisation_id=scope.ident,
            )
            .distinct()
            .count()
        )
    else:
        for row in (
            evaluations.exclude(state=EvaluationState.DRAFT).values(k=F(kind)).annotate(n=Count("pk")).order_by()
        ):
            counts[row["k"]][0] += row["n"]
        counts[ProgrammeKind.ANALYST][0] += selections.count()
        for row in (
            subject_results.values(k=F("result_set__evaluation__programme__kind"))
            .annotate(n=Count("organisation", distinct=True))
            .order_by()
        ):
            counts[row["k"]][1] += row["n"]
    counts[ProgrammeKind.ANALYST][1] += applications.count()
    for row in (
        objections.values(k=F("evaluation__programme__kind"))
        .annotate(n=Count("pk"), d=Count("pk", filter=decided))
        .order_by()
    ):
        target = counts[row["k"]]
        target[2] = (target[2] or 0) + row["n"]
        target[3] = (target[3] or 0) + row["d"]
    for row in (
        winners.values(k=F("edition__programme__kind"))
        .annotate(n=Count("pk"), r=Count("pk", filter=Q(state=WinnerState.REVOKED)))
        .order_by()
    ):
        counts[row["k"]][4] += row["n"]
        counts[row["k"]][5] += row["r"]
    rows = _programme_rows(counts)
    programme = pgettext_lazy("dashboards", "Award programme")
    tail = [
        pgettext_lazy("dashboards", "Objections received"),
        pgettext_lazy("dashboards", "Objections decided"),
        pgettext_lazy("dashboards", "Winners published"),
        pgettext_lazy("dashboards", "Winners revoked"),
    ]
    if scope.kind != "member":
        columns = [
            programme,
            pgettext_lazy("dashboards", "Evaluations or selections run"),
            pgettext_lazy("dashboards", "Organisations evaluated or applications received"),
            *tail,
        ]
        return [
            Panel(
                "awards",
                pgettext_lazy("dashboards", "Awards"),
                ["awards"],
                Table(columns, rows, _sum_columns(rows)),
                chart="hbar",
                series=[2, 5],
            )
        ]

    columns = [
        programme,
        pgettext_lazy("dashboards", "Published result lists with our result"),
        pgettext_lazy("dashboards", "Our applications submitted"),
        pgettext_lazy("dashboards", "Our objections submitted"),
        pgettext_lazy("dashboards", "Our objections decided"),
        pgettext_lazy("dashboards", "Our awards"),
        pgettext_lazy("dashboards", "Our awards revoked"),
    ]
    own_total = SubjectResult.objects.filter(result_set=OuterRef("result_set"), organisation_id=scope.ident)
    lists = (
        PublishedList.objects.filter(evaluation__year=year, result_set__results__organisation_id=scope.ident)
        .annotate(
            own_total=Subquery(own_total.values("total")[:1]),
            own_within=Subquery(own_total.values("within_quota")[:1]),
        )
        .select_related("evaluation__programme")
        .order_by("evaluation__programme__kind", "published_at", "pk")
    )
    yes, no = pgettext_lazy("dashboards", "Yes"), pgettext_lazy("dashboards", "No")
    list_rows = [
        [
            f"{published.evaluation.programme.name_zh} {published.label}",
            timezone.localtime(published.published_at).date().isoformat(),
            None if published.own_total is None else money(published.own_total),
            yes if published.own_within else no,
            yes if published.is_final else no,
        ]
        for published in lists
    ]
    states = dict(WinnerState.choices)
    winner_rows = [
        [
            f"{w.edition.programme.name_zh} · {w.category.name_zh}",
            w.name_zh,
            w.number,
            timezone.localtime(w.published_at).date().isoformat(),
            states.get(w.state, w.state),
        ]
        for w in winners.select_related("edition__programme", "category").order_by("published_at", "serial")
    ]
    return [
        Panel(
            "awards",
            pgettext_lazy("dashboards", "Our awards"),
            ["awards_member"],
            Table(columns, rows),
            chart="hbar",
            series=[1, 5],
        ),
        Panel(
            "awards-results",
            pgettext_lazy("dashboards", "Our published award results"),
            ["awards_member"],
            Table(
                [
                    pgettext_lazy("dashboards", "Published list"),
                    pgettext_lazy("dashboards", "Published on"),
                    pgettext_lazy("dashboards", "Our total score"),
                    pgettext_lazy("dashboards", "Within the quota"),
                    pgettext_lazy("dashboards", "Final list"),
                ],
                list_rows,
            ),
            chart="hbar",
            series=[],
        ),
        Panel(
            "awards-certificates",
            pgettext_lazy("dashboards", "Our award certificates"),
            ["awards_member"],
            Table(
                [
                    pgettext_lazy("dashboards", "Award"),
                    pgettext_lazy("dashboards", "Winner"),
                    pgettext_lazy("dashboards", "Certificate number"),
                    pgettext_lazy("dashboards", "Published on"),
                    _("Status"),
                ],
                winner_rows,
            ),
            chart="hbar",
            series=[],
        ),
    ]


# --- assembling ------------------------------------------------------------------------------


def compute(*, year: int, scope: Scope, user: Any = None) -> Dashboard:
    """The dashboard of ``scope`` in ``year``, computed now (no cache)."""
    panels: list[Panel] = []
    if scope.kind == "exchange":
        panels += _feedback(year, scope)
        panels.append(_satisfaction(year, scope))
        panels.append(_visits(year, scope))
        panels += _activities(year, scope)
        panels.append(_budget(year, scope))
        panels += _incentives(year, scope)
        panels += _deepening(year, scope)
        panels += _education(year, scope)
        panels += _universities(year, scope)
        panels += _awards(year, scope)
    elif scope.kind == "department":
        panels += _feedback(year, scope)
        panels.append(_satisfaction(year, scope))
        panels.append(_budget(year, scope))
        panels += _incentives(year, scope)
        panels += _awards(year, scope)
    elif scope.kind == "member":
        panels += _feedback(year, scope)
        panels.append(_satisfaction(year, scope))
        panels.append(_visits(year, scope))
        panels += _activities(year, scope)
        panels.append(_budget(year, scope))
        panels += _incentives(year, scope)
        panels += _deepening(year, scope)
        panels += _education(year, scope)
        panels += _awards(year, scope)
    elif scope.kind == "regulator":
        panels += _deepening(year, scope)
    elif scope.kind == "public":
        panels += _education(year, scope)
        panels += _activities(year, scope)
        panels += _universities(year, scope)
    else:  # pragma: no cover — a programming error
        raise ValueError(scope.kind)
    return Dashboard(year=year, scope=scope, as_of=timezone.now(), panels=panels)


def dashboard(*, year: int, scope: Scope, user: Any = None) -> Dashboard:
    """The cached dashboard of ``scope`` in ``year`` (computed at most every ``CACHE_SECONDS``)."""
    key = f"dashboards:v{CACHE_VERSION}:{year}:{scope.kind}:{scope.ref}:{timezone.localdate():%Y%m%d}"
    found = cache.get(key)
    if found is not None:
        return found
    result = compute(year=year, scope=scope, user=user)
    if CACHE_SECONDS:
        cache.set(key, result, CACHE_SECONDS)
    return result
