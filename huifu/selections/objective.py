"""Objective sub-scores computed from Huifu's own data, per application (all its people):

* ``analyst_talks``: talks given in the monthly commodity talk (大宗商品月月谈) of the
  selection's year — published sessions of a monthly-talk series with a speaker of the pool who
  is a member analyst of the applying company and whose name is a person on the roster;
* ``analyst_reports``: educational works (research articles, videos …) of the applying company
  published in the year with a person on the roster among their authors.

Each value keeps its inputs (session and work ids, dates, titles) so a result can be explained
and recomputed after the data change. Matching is by exact name within the applying company:
nothing is guessed across companies.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from huifu.eduworks.models import Work, WorkState
from huifu.events.models import SeriesKind, Session, SessionState, SpeakerKind

Values = dict[str, Any]


def _year(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def talks(application: Any, year: int) -> Values:
    names = [m.full_name for m in application.members.all()]
    start, end = _year(year)
    sessions = (
        Session.objects.filter(
            series__kind=SeriesKind.MONTHLY_TALK,
            state=SessionState.PUBLISHED,
            date__range=(start, end),
            speakers__kind=SpeakerKind.MEMBER_ANALYST,
            speakers__organisation_id=application.organisation_id,
            speakers__name__in=names,
        )
        .distinct()
        .order_by("date", "pk")
        .values("pk", "date", "title")
    )
    rows = [{"session": s["pk"], "date": s["date"].isoformat(), "title": s["title"]} for s in sessions]
    return {"value": len(rows), "inputs": rows}


def reports(application: Any, year: int) -> Values:
    names = [m.full_name for m in application.members.all()]
    start, end = _year(year)
    works = (
        Work.objects.filter(
            organisation_id=application.organisation_id,
            state=WorkState.PUBLISHED,
            published_on__range=(start, end),
            authors__name__in=names,
        )
        .distinct()
        .order_by("published_on", "pk")
        .values("pk", "published_on", "title")
    )
    rows = [{"work": w["pk"], "date": w["published_on"].isoformat(), "title": w["title"]} for w in works]
    return {"value": len(rows), "inputs": rows}


METRICS: dict[str, Callable[[Any, int], Values]] = {"analyst_talks": talks, "analyst_reports": reports}


def _company_talks(org_ids: list[int], year: int) -> dict[int, tuple[Decimal, dict[str, Any]]]:
    start, end = _year(year)
    rows = (
        Session.objects.filter(
            series__kind=SeriesKind.MONTHLY_TALK,
            state=SessionState.PUBLISHED,
            date__range=(start, end),
            speakers__kind=SpeakerKind.MEMBER_ANALYST,
            speakers__organisation_id__in=org_ids,
        )
        .values_list("speakers__organisation_id", "pk")
        .distinct()
    )
    return _per_org(rows, org_ids, "sessions")


def _company_reports(org_ids: list[int], year: int) -> dict[int, tuple[Decimal, dict[str, Any]]]:
    start, end = _year(year)
    rows = Work.objects.filter(
        organisation_id__in=org_ids, state=WorkState.PUBLISHED, published_on__range=(start, end)
    ).values_list("organisation_id", "pk")
    return _per_org(rows, org_ids, "works")


def _per_org(rows: Any, org_ids: list[int], name: str) -> dict[int, tuple[Decimal, dict[str, Any]]]:
    ids: dict[int, list[int]] = {org: [] for org in org_ids}
    for org, pk in rows:
        ids.setdefault(org, []).append(pk)
    return {org: (Decimal(len(found)), {name: sorted(found)}) for org, found in ids.items()}


def register_metrics() -> None:
    """Make the keys known to the awards engine, so a rubric may name them; at company level
    they count the company's analysts' talks and its published works."""
    from django.utils.translation import gettext_lazy as _

    from huifu.awards.metrics import Metric, register

    register(Metric("analyst_talks", _("Talks given in the monthly commodity talk"), "", _company_talks))
    register(Metric("analyst_reports", _("Research reports and works published"), "", _company_reports))
