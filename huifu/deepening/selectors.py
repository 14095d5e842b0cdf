"""Reading deep-cultivation data, always scoped by the user who asks.

Scope
    staff: everything; a futures company's users: their company's profiles and plans;
    a regulator: non-draft plans with at least one enterprise in the bureau's region, and inside
    them only that region's enterprises, activities and evidence; the profiles of enterprises in
    that region that appear in such a plan; anyone else: nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from huifu.accounts.predicates import is_regulator, is_staff_user

from .models import (
    ActivityEvidence,
    BudgetLine,
    ContactLogEntry,
    DeepeningPlan,
    EnterpriseProfile,
    PlanEnterprise,
    PlanEvent,
    PlannedActivity,
    PlanStatus,
    SupervisionNote,
    profile_region_q,
)
from .permissions import is_futures_company_user


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def regulator_region(user: Any) -> str:
    """The region of a regulator's bureau ('' for anyone else)."""
    if not is_regulator(user) or user.organisation is None:
        return ""
    return user.organisation.region or ""


# --- Plans ------------------------------------------------------------------------------------


def plans_for_regulator(user: Any) -> QuerySet[DeepeningPlan]:
    region = regulator_region(user)
    if not region:
        return DeepeningPlan.objects.none()
    in_region = PlanEnterprise.objects.filter(plan_id=OuterRef("pk")).filter(profile_region_q(region, "profile__"))
    return DeepeningPlan.objects.exclude(status=PlanStatus.DRAFT).filter(Exists(in_region))


def plans_for_user(user: Any) -> QuerySet[DeepeningPlan]:
    if is_staff_user(user):
        return DeepeningPlan.objects.all()
    if is_futures_company_user(user):
        return DeepeningPlan.objects.filter(member_id=user.organisation_id)
    if is_regulator(user):
        return plans_for_regulator(user)
    return DeepeningPlan.objects.none()


def _requested_subquery() -> Subquery:
    lines = BudgetLine.objects.filter(plan_id=OuterRef("pk")).order_by().values("plan_id").annotate(s=Sum("amount"))
    return Subquery(lines.values("s"), output_field=DecimalField(max_digits=14, decimal_places=2))


def plan_list(
    *, user: Any, status: str = "", year: int | None = None, search: str = "", situation: str = ""
) -> QuerySet[DeepeningPlan]:
    """Plans the user may see, newest first, annotated with ``requested`` and ``enterprise_count``."""
    enterprises = (
        plan_enterprises_for(user).filter(plan_id=OuterRef("pk")).order_by().values("plan_id").annotate(n=Count("id"))
    )
    qs = (
        plans_for_user(user)
        .select_related("member")
        .annotate(
            requested=Coalesce(
                _requested_subquery(), Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
            enterprise_count=Coalesce(Subquery(enterprises.values("n")), 0),
        )
        .order_by("-year", "-pk")
    )
    if status and status in PlanStatus.values:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    if situation:
        qs = plan_with_situation(qs, situation)
    if search:
        qs = plan_search(qs, search, user=user)
    return qs


def plan_with_situation(qs: QuerySet[DeepeningPlan], situation: str) -> QuerySet[DeepeningPlan]:
    """Plans of ``qs`` serving at least one enterprise in ``situation``."""
    return qs.filter(Exists(PlanEnterprise.objects.filter(plan_id=OuterRef("pk"), profile__situation=situation)))


def plan_search(qs: QuerySet[DeepeningPlan], text: str, *, user: Any) -> QuerySet[DeepeningPlan]:
    """Plans of ``qs`` whose title, member or one of the enterprises ``user`` may see contain ``text``."""
    text = text.strip()
    if not text:
        return qs
    names = (
        plan_enterprises_for(user)
        .filter(plan_id=OuterRef("pk"))
        .filter(Q(profile__enterprise__name_zh__icontains=text) | Q(profile__pending_name__icontains=text))
    )
    return qs.filter(Q(title__icontains=text) | Q(member__name_zh__icontains=text) | Exists(names))


def plan_enterprises_for(user: Any) -> QuerySet[PlanEnterprise]:
    """The plan entries ``user`` may see inside a plan it may open. A regulator supervises the
    enterprises of its own region only: a plan that also serves enterprises elsewhere shows it
    those enterprises' entries, activities and evidence, nothing of the others."""
    qs = PlanEnterprise.objects.select_related("profile__enterprise")
    region = regulator_region(user)
    return qs.filter(profile_region_q(region, "profile__")) if region else qs


def planned_activities_for(user: Any) -> QuerySet[PlannedActivity]:
    qs = PlannedActivity.objects.all()
    region = regulator_region(user)
    return qs.filter(profile_region_q(region, "plan_enterprise__profile__")) if region else qs


def plan_events_for(user: Any) -> QuerySet[PlanEvent]:
    """The timeline; for a regulator without the progress steps of other regions' activities."""
    qs = PlanEvent.objects.all()
    if regulator_region(user):
        qs = qs.filter(Q(activity__isnull=True) | Q(activity__in=planned_activities_for(user)))
    return qs


def plan_get(*, user: Any, plan_id: Any) -> DeepeningPlan:
    """One plan the user may see, with everything the detail page shows; 404 alike for missing
    and not-yours."""
    evidence = ActivityEvidence.objects.select_related("file")
    plan = (
        plans_for_user(user)
        .select_related("member", "decided_by", "created_by")
        .prefetch_related(
            Prefetch("enterprises", queryset=plan_enterprises_for(user)),
            Prefetch(
                "activities",
                queryset=planned_activities_for(user)
                .select_related("plan_enterprise__profile__enterprise", "reported_by")
                .prefetch_related(Prefetch("evidence", queryset=evidence)),
            ),
            "budget_lines",
            "submissions",
            Prefetch("events", queryset=plan_events_for(user).select_related("actor")),
        )
        .filter(pk=_int(plan_id))
        .first()
    )
    if plan is None:
        raise Http404("plan not found")
    return plan


def supervision_notes_for(*, user: Any, plan: DeepeningPlan) -> QuerySet[SupervisionNote]:
    if not user.has_perm("deepening.view_supervision_notes", plan):
        return SupervisionNote.objects.none()
    return plan.supervision_notes.select_related("author", "bureau").order_by("created_at", "pk")


# --- Profiles ----------------------------------------------------------------------------------


def profiles_for_regulator(user: Any) -> QuerySet[EnterpriseProfile]:
    region = regulator_region(user)
    if not region:
        return EnterpriseProfile.objects.none()
    in_plan = PlanEnterprise.objects.filter(profile_id=OuterRef("pk")).exclude(plan__status=PlanStatus.DRAFT)
    return EnterpriseProfile.objects.filter(profile_region_q(region)).filter(Exists(in_plan))


def profiles_for_user(user: Any) -> QuerySet[EnterpriseProfile]:
    if is_staff_user(user):
        return EnterpriseProfile.objects.all()
    if is_futures_company_user(user):
        return EnterpriseProfile.objects.filter(member_id=user.organisation_id)
    if is_regulator(user):
        return profiles_for_regulator(user)
    return EnterpriseProfile.objects.none()


def profile_list(
    *, user: Any, situation: str = "", region: str = "", search: str = "", key_only: bool = False
) -> QuerySet[EnterpriseProfile]:
    last_contact = (
        ContactLogEntry.objects.filter(profile_id=OuterRef("pk"))
        .order_by("-contact_date", "-pk")
        .values("contact_date")
    )
    qs = (
        profiles_for_user(user)
        .select_related("member", "enterprise")
        .annotate(contact_count=Count("contacts"), last_contact=Subquery(last_contact[:1]))
        .order_by("member__name_zh", "pk")
    )
    if situation:
        qs = qs.filter(situation=situation)
    if region:
        qs = qs.filter(profile_region_q(region))
    if key_only:
        qs = qs.filter(is_key_enterprise=True)
    if search:
        qs = profile_search(qs, search)
    return qs


def profile_search(qs: QuerySet[EnterpriseProfile], text: str) -> QuerySet[EnterpriseProfile]:
    """Profiles of ``qs`` whose enterprise, pending name or industry contain ``text``."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(enterprise__name_zh__icontains=text) | Q(pending_name__icontains=text) | Q(industry__icontains=text)
    )


def profile_get(*, user: Any, profile_id: Any) -> EnterpriseProfile:
    profile = (
        profiles_for_user(user)
        .select_related("member", "enterprise", "created_by")
        .prefetch_related(Prefetch("contacts", queryset=ContactLogEntry.objects.select_related("recorded_by")))
        .filter(pk=_int(profile_id))
        .first()
    )
    if profile is None:
        raise Http404("profile not found")
    return profile


def profile_choices_for_plan(plan: DeepeningPlan) -> QuerySet[EnterpriseProfile]:
    """The member's profiles not yet in ``plan``."""
    return (
        EnterpriseProfile.objects.filter(member_id=plan.member_id)
        .exclude(plan_entries__plan=plan)
        .select_related("enterprise")
    )


# --- Files ---------------------------------------------------------------------------------


def evidence_file_readable(user: Any, stored_file: Any) -> bool:
    """Files checker for evidence files: readable by whoever may see the plan (staff and the
    owning member are let through by the files app itself)."""
    return ActivityEvidence.objects.filter(
        file_id=stored_file.pk,
        activity__plan__in=plans_for_user(user),
        activity__in=planned_activities_for(user),
    ).exists()


# --- Money from the budget ---------------------------------------------------------------------


def with_paid(qs: QuerySet[DeepeningPlan]) -> QuerySet[DeepeningPlan]:
    """Annotate ``paid`` (Σ budget payments on the plan's allocation) and ``invoiced`` in SQL."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from huifu.budget.models import Invoice, Payment

    ct = ContentType.objects.get_for_model(DeepeningPlan)
    money = DecimalField(max_digits=14, decimal_places=2)

    def total(model: Any) -> Coalesce:
        rows = (
            model.objects.filter(allocation__target_type=ct, allocation__target_id=Cast(OuterRef("pk"), CharField()))
            .order_by()
            .values("allocation_id")
            .annotate(s=Sum("amount"))
            .values("s")
        )
        return Coalesce(Subquery(rows, output_field=money), Decimal("0.00"), output_field=money)

    return qs.annotate(paid=total(Payment), invoiced=total(Invoice))


def plan_export_rows(*, user: Any, year: int | None = None) -> QuerySet[DeepeningPlan]:
    """The plans the user may see (of ``year``), with requested/approved/invoiced/paid figures
    and enterprises prefetched: one fixed set of queries for any number of plans."""
    qs = plan_list(user=user, year=year).prefetch_related(Prefetch("enterprises", queryset=plan_enterprises_for(user)))
    return with_paid(qs).order_by("year", "member__name_zh", "pk")
