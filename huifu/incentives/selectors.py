"""Reading projects and participations, always scoped by the user who asks.

* Staff read everything. Members and regulators read projects that are not drafts.
* Members read their own organisation's participations only; anything else is "not found".
* Universities read open/closed research projects and their own research participations only;
  members and regulators never see research projects.
* ``participations_for_settlement`` is the unscoped read the settlement engine uses.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_regulator, is_staff_user
from huifu.products.models import Product
from huifu.tracking.models import TrackedItem

from .models import (
    Participation,
    ParticipationAttachment,
    ParticipationStatus,
    Project,
    ProjectKind,
    ProjectRule,
    ProjectStatus,
)
from .permissions import is_university_user

# --- projects ---------------------------------------------------------------------------------


def project_list(*, user: Any, year: int | None = None, kind: str = "", status: str = "") -> QuerySet[Project]:
    """Projects ``user`` may read, with product and participation counts (constant queries)."""
    if is_staff_user(user):
        qs = Project.objects.all()
    elif is_university_user(user):
        qs = Project.objects.exclude(status=ProjectStatus.DRAFT).filter(kind=ProjectKind.RESEARCH)
    elif is_member_user(user) or is_regulator(user):
        # Research calls are for universities; members and regulators never see them.
        qs = Project.objects.exclude(status=ProjectStatus.DRAFT).exclude(kind=ProjectKind.RESEARCH)
    else:
        return Project.objects.none()
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    counted = ~Q(participations__status__in=[ParticipationStatus.REJECTED, ParticipationStatus.WITHDRAWN])
    if not is_staff_user(user):
        # Outside the exchange a company learns only about its own participations, never how
        # many other companies joined.
        counted &= Q(participations__organisation_id=user.organisation_id)
    return (
        qs.select_related("department")
        .annotate(
            product_count=Count("products", distinct=True),
            participation_count=Count("participations", filter=counted, distinct=True),
        )
        .order_by("-year", "code")
    )


def project_get(*, user: Any, project_id: int) -> Project:
    project = (
        project_list(user=user)
        .select_related("notice")
        .prefetch_related(
            "pilots",
            Prefetch("products", queryset=Product.objects.select_related("underlying").order_by("kind", "sort_order")),
            Prefetch("rules", queryset=ProjectRule.objects.select_related("product")),
        )
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise Http404
    return project


def project_years() -> list[int]:
    return list(Project.objects.order_by("-year").values_list("year", flat=True).distinct())


def own_participation_for(*, user: Any, project: Project) -> Participation | None:
    """The live participation of the user's organisation in ``project``, if any."""
    if user.organisation_id is None:
        return None
    return (
        Participation.objects.filter(project=project, organisation_id=user.organisation_id)
        .exclude(status__in=[ParticipationStatus.REJECTED, ParticipationStatus.WITHDRAWN])
        .first()
    )


# --- participations ---------------------------------------------------------------------------


def participation_list(
    *, user: Any, project_id: int | None = None, status: str = "", organisation_id: int | None = None
) -> QuerySet[Participation]:
    """Participations ``user`` may read: staff all, members their organisation's."""
    if is_staff_user(user):
        qs = Participation.objects.all()
        if organisation_id:
            qs = qs.filter(organisation_id=organisation_id)
    elif (is_member_user(user) or is_university_user(user)) and user.organisation_id is not None:
        qs = Participation.objects.filter(organisation_id=user.organisation_id)
    else:
        return Participation.objects.none()
    if project_id:
        qs = qs.filter(project_id=project_id)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("project", "organisation")
        .prefetch_related(Prefetch("products", queryset=Product.objects.order_by("kind", "sort_order")))
        .order_by("-submitted_at", "-id")
    )


def participation_get(*, user: Any, participation_id: int) -> Participation:
    """One participation ``user`` may read, with its history; Http404 otherwise."""
    participation = (
        participation_list(user=user)
        .select_related("submitted_by", "project__department")
        .prefetch_related(
            "decisions__decided_by",
            "reports__author",
            Prefetch(
                "attachments",
                queryset=ParticipationAttachment.objects.select_related("file").order_by("id"),
            ),
        )
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        raise Http404
    return participation


def participation_deadlines(participation: Participation) -> list[TrackedItem]:
    """The tracked stages of a participation (review, acceptance, closing), oldest first."""
    from django.contrib.contenttypes.models import ContentType

    return list(
        TrackedItem.objects.filter(
            target_type=ContentType.objects.get_for_model(Participation), target_id=str(participation.pk)
        ).order_by("received_at", "id")
    )


def participations_for_settlement(
    *, project: Project | None = None, year: int | None = None
) -> QuerySet[Participation]:
    """Participations that earn reductions: settleable state and result accepted/partial.

    Prefetches the project, its rules (with products), the participation's target products and
    the organisation, so a settlement run reads them in a constant number of queries.
    Not scoped by user: callers (the settlement services) check their own permissions.
    """
    qs = Participation.objects.filter(
        status__in=ParticipationStatus.settleable(), result__in=["accepted", "partial"]
    ).exclude(project__kind=ProjectKind.RESEARCH)  # research topics earn no fee reduction
    if project is not None:
        qs = qs.filter(project=project)
    if year is not None:
        qs = qs.filter(project__year=year)
    return (
        qs.select_related("project", "organisation")
        .prefetch_related(
            "products",
            Prefetch("project__rules", queryset=ProjectRule.objects.select_related("product")),
        )
        .order_by("project__code", "organisation__member_number", "id")
    )


# --- dashboard ---------------------------------------------------------------------------------


@dataclass
class ProductCoverage:
    product: Product
    projects: int
    participations: int
    organisations: int


def coverage_by_product(*, year: int) -> list[ProductCoverage]:
    """For each product covered by a project of ``year``: how many projects cover it and how
    many live participations (and organisations) target it. Products no project covers are
    left out; ``participations == 0`` marks a covered product nobody has taken up."""
    live = ~Q(incentive_participations__status__in=[ParticipationStatus.REJECTED, ParticipationStatus.WITHDRAWN])
    year_q = Q(incentive_participations__project__year=year)
    qs = (
        Product.objects.filter(incentive_projects__year=year)
        .annotate(
            project_count=Count("incentive_projects", filter=Q(incentive_projects__year=year), distinct=True),
        )
        .order_by("kind", "sort_order", "code")
        .distinct()
    )
    counts = {
        row["pk"]: row
        for row in Product.objects.filter(live & year_q)
        .values("pk")
        .annotate(
            participations=Count("incentive_participations", distinct=True),
            organisations=Count("incentive_participations__organisation", distinct=True),
        )
    }
    return [
        ProductCoverage(
            product=p,
            projects=p.project_count,
            participations=counts.get(p.pk, {}).get("participations", 0),
            organisations=counts.get(p.pk, {}).get("organisations", 0),
        )
        for p in qs
    ]


def participation_counts_by_project(*, year: int) -> list[dict[str, Any]]:
    """Per project of ``year``: participations per status (one query)."""
    rows = (
        Participation.objects.filter(project__year=year)
        .values("project_id", "project__code", "project__name_zh", "status")
        .annotate(n=Count("id"))
        .order_by("project__code")
    )
    table: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = table.setdefault(
            row["project_id"],
            {"code": row["project__code"], "name": row["project__name_zh"], "by_status": defaultdict(int), "total": 0},
        )
        entry["by_status"][row["status"]] += row["n"]
        entry["total"] += row["n"]
    labels = dict(ParticipationStatus.choices)
    for entry in table.values():
        # A list of (label, count): templates must not index a defaultdict.
        entry["by_status"] = [(labels.get(k, k), n) for k, n in sorted(entry["by_status"].items())]
    return list(table.values())


@dataclass
class TrendPoint:
    month: datetime.date
    participants_volume: int
    others_volume: int
    participants_oi: Decimal
    others_oi: Decimal


def trend_series(*, year: int, product: Product | None = None) -> list[TrendPoint]:
    """Monthly volume and average daily open interest of participants against everybody else,
    from ``huifu.tradingdata`` daily statistics (one grouped query).

    A participant is an organisation with an approved participation in a project of ``year``
    (covering ``product`` when one is given). The open-interest figure is the month's sum of
    daily open interest divided by the number of distinct trading days with data that month.
    """
    from huifu.tradingdata.models import DailyMemberStat

    participating = Participation.objects.filter(
        project__year=year, status__in=ParticipationStatus.approved(), organisation_id=OuterRef("organisation_id")
    )
    if product is not None:
        participating = participating.filter(products=product)
    stats = DailyMemberStat.objects.filter(trade_date__year=year)
    if product is not None:
        stats = stats.filter(product=product)
    rows = (
        stats.annotate(month=TruncMonth("trade_date"), is_participant=Exists(participating))
        .values("month", "is_participant")
        .annotate(
            volume=Sum("volume"),
            oi=Sum("open_interest"),
            days=Count("trade_date", distinct=True),
        )
        .order_by("month")
    )
    points: dict[datetime.date, TrendPoint] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        point = points.setdefault(month, TrendPoint(month, 0, 0, Decimal("0"), Decimal("0")))
        average_oi = Decimal(row["oi"] or 0) / (row["days"] or 1)
        if row["is_participant"]:
            point.participants_volume = int(row["volume"] or 0)
            point.participants_oi = average_oi.quantize(Decimal("1"))
        else:
            point.others_volume = int(row["volume"] or 0)
            point.others_oi = average_oi.quantize(Decimal("1"))
    return [points[m] for m in sorted(points)]
