"""Indicators computed from what Huifu holds. Each metric answers, for a year and a set of
organisations, one value per organisation and the inputs it was computed from (a snapshot kept
with the result: the figures can be explained and replayed after the source data changes).

One query per metric whatever the number of organisations. The registry ``METRICS`` is the
list of keys a scheme's computed indicator may name.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

Values = dict[int, tuple[Decimal, dict[str, Any]]]
INPUT_IDS_SHOWN = 50  # ids kept in a snapshot per metric (the count is always exact)


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    unit: str
    compute: Callable[[list[int], int], Values]


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _counted(rows: Iterable[tuple[int, int]], org_ids: list[int], source: str, year: int) -> Values:
    ids: dict[int, list[int]] = defaultdict(list)
    for org_id, pk in rows:
        ids[org_id].append(pk)
    return {
        org: (
            Decimal(len(ids[org])),
            {"source": source, "year": year, "count": len(ids[org]), "ids": sorted(ids[org])[:INPUT_IDS_SHOWN]},
        )
        for org in org_ids
    }


def _trading(field: str) -> Callable[[list[int], int], Values]:
    def compute(org_ids: list[int], year: int) -> Values:
        from huifu.tradingdata.models import DailyMemberStat

        first, last = _year_bounds(year)
        rows = (
            DailyMemberStat.objects.filter(organisation_id__in=org_ids, trade_date__range=(first, last))
            .values("organisation_id")
            .annotate(total=Sum(field), days=Count("trade_date", distinct=True))
        )
        found = {r["organisation_id"]: r for r in rows}
        result: Values = {}
        for org in org_ids:
            row = found.get(org, {"total": 0, "days": 0})
            total = Decimal(row["total"] or 0)
            value = total
            if field == "open_interest":  # daily average open interest over the trading days held
                value = (total / row["days"]).quantize(Decimal("0.01")) if row["days"] else Decimal("0")
            result[org] = (
                value,
                {
                    "source": "tradingdata.DailyMemberStat",
                    "year": year,
                    "field": field,
                    "sum": str(total),
                    "trading_days": row["days"],
                },
            )
        return result

    return compute


def _activities_held(org_ids: list[int], year: int) -> Values:
    from huifu.activities.models import Activity, ActivityStatus

    held = [
        ActivityStatus.HELD,
        ActivityStatus.SUMMARY_SUBMITTED,
        ActivityStatus.SUMMARY_RETURNED,
        ActivityStatus.SUMMARY_ACCEPTED,
        ActivityStatus.INVOICED,
        ActivityStatus.PAID,
        ActivityStatus.CLOSED,
    ]
    rows = Activity.objects.filter(
        organisation_id__in=org_ids, status__in=held, starts_on__range=_year_bounds(year)
    ).values_list("organisation_id", "pk")
    return _counted(rows, org_ids, "activities.Activity", year)


def _cases_published(org_ids: list[int], year: int) -> Values:
    """Cases published in the year whose source is one of the organisation's co-hosted
    activities or enterprise-deepening plans."""
    from huifu.activities.models import Activity
    from huifu.cases.models import Case, CaseStatus
    from huifu.deepening.models import DeepeningPlan

    first, last = _year_bounds(year)
    owners: dict[tuple[int, str], int] = {}
    for model, field in ((Activity, "organisation_id"), (DeepeningPlan, "member_id")):
        ctype = ContentType.objects.get_for_model(model)
        for pk, org in model.objects.filter(**{f"{field}__in": org_ids}).values_list("pk", field):
            owners[(ctype.pk, str(pk))] = org
    cases = Case.objects.filter(
        status=CaseStatus.PUBLISHED, published_at__date__range=(first, last), source_type__isnull=False
    ).values_list("pk", "source_type_id", "source_id")
    rows = [(owners[(ct, sid)], pk) for pk, ct, sid in cases if (ct, sid) in owners]
    return _counted(rows, org_ids, "cases.Case", year)


def _incentives_accepted(org_ids: list[int], year: int) -> Values:
    from huifu.incentives.models import AcceptanceResult, Participation

    rows = Participation.objects.filter(
        organisation_id__in=org_ids,
        result__in=[AcceptanceResult.ACCEPTED, AcceptanceResult.PARTIAL],
        accepted_at__date__range=_year_bounds(year),
    ).values_list("organisation_id", "pk")
    return _counted(rows, org_ids, "incentives.Participation", year)


def _deepening_completed(org_ids: list[int], year: int) -> Values:
    from huifu.deepening.models import DeepeningPlan, PlanStatus

    rows = DeepeningPlan.objects.filter(
        member_id__in=org_ids, year=year, status__in=[PlanStatus.COMPLETED, PlanStatus.CLOSED]
    ).values_list("member_id", "pk")
    return _counted(rows, org_ids, "deepening.DeepeningPlan", year)


def _sessions_given(org_ids: list[int], year: int) -> Values:
    from huifu.events.models import Session, SessionState

    rows = (
        Session.objects.filter(
            state=SessionState.PUBLISHED, date__range=_year_bounds(year), speakers__organisation_id__in=org_ids
        )
        .values_list("speakers__organisation_id", "pk")
        .distinct()
    )
    return _counted(rows, org_ids, "events.Session (speaker)", year)


def _sessions_attended(org_ids: list[int], year: int) -> Values:
    from huifu.events.models import CheckIn

    rows = CheckIn.objects.filter(
        registration__organisation_id__in=org_ids, registration__session__date__range=_year_bounds(year)
    ).values_list("registration__organisation_id", "pk")
    return _counted(rows, org_ids, "events.CheckIn", year)


def _member_voice(org_ids: list[int], year: int) -> Values:
    from huifu.servicedesk.models import FeedbackForm, FormStatus

    rows = (
        FeedbackForm.objects.filter(organisation_id__in=org_ids, received_at__date__range=_year_bounds(year))
        .exclude(status=FormStatus.DRAFT)
        .values_list("organisation_id", "pk")
    )
    return _counted(rows, org_ids, "servicedesk.FeedbackForm", year)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("trading_volume", _("Trading volume"), "lots", _trading("volume")),
        Metric("trading_turnover", _("Turnover"), "CNY", _trading("turnover")),
        Metric("open_interest", _("Daily average open interest"), "lots", _trading("open_interest")),
        Metric("activities_held", _("Co-hosted activities held"), "", _activities_held),
        Metric("cases_published", _("Cases published"), "", _cases_published),
        Metric("incentives_accepted", _("Incentive projects accepted"), "", _incentives_accepted),
        Metric("deepening_completed", _("Enterprise-deepening plans completed"), "", _deepening_completed),
        Metric("sessions_given", _("Investor-education sessions given"), "", _sessions_given),
        Metric("sessions_attended", _("Investor-education attendances"), "", _sessions_attended),
        Metric("member_voice", _("Member Voice forms sent"), "", _member_voice),
    )
}


def compute(key: str, org_ids: list[int], year: int) -> Values:
    return METRICS[key].compute(org_ids, year)


def register(metric: Metric) -> None:
    """Let another app add a metric key a scheme's computed indicator may name (the analyst
    selection registers per-person counts: ``analyst_talks``, ``analyst_reports``)."""
    METRICS[metric.key] = metric
