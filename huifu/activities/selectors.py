"""Activity reads, scoped by the user: staff read all; an organisation's users read their
own organisation's activities only (another's answers 404 like a missing one)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_regulator, is_staff_user

from .models import Activity, ActivityFile, ActivityGuideline, ActivityStep, ActivityType


def activity_list(*, user: Any, status: str = "", year: int | None = None, search: str = "") -> QuerySet[Activity]:
    qs = Activity.objects.select_related("organisation", "activity_type", "university").annotate(
        photo_count=Count("files", filter=Q(files__role="photo"))
    )
    if not is_staff_user(user):
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None or is_regulator(user):
            return Activity.objects.none()
        qs = qs.filter(organisation_id=user.organisation_id)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(activity_type__year=year)
    if search:
        qs = activity_search(qs, search)
    return qs.order_by("-starts_on", "-pk")


def activity_search(qs: QuerySet[Activity], text: str) -> QuerySet[Activity]:
    """Activities of ``qs`` whose title, organiser, type or university contain ``text`` (the list's text filter)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(title__icontains=text)
        | Q(organisation__name_zh__icontains=text)
        | Q(activity_type__name__icontains=text)
        | Q(activity_type__name_en__icontains=text)
        | Q(university__name_zh__icontains=text)
    )


def activity_get(*, user: Any, activity_id: int) -> Activity:
    activity = (
        activity_list(user=user)
        .select_related("applicant")
        .prefetch_related("budget_lines")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def activity_steps(activity: Activity) -> QuerySet[ActivityStep]:
    return activity.steps.select_related("actor").order_by("at", "pk")


def activity_files(activity: Activity) -> QuerySet[ActivityFile]:
    return activity.files.select_related("file").order_by("role", "pk")


def types_for_year(*, year: int | None = None, active_only: bool = True) -> QuerySet[ActivityType]:
    qs = ActivityType.objects.all()
    if year:
        qs = qs.filter(year=year)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("-year", "sort_order", "pk")


def guideline_for(year: int) -> ActivityGuideline | None:
    return ActivityGuideline.objects.select_related("notice").filter(year=year).first()


def activity_file_readable(user: Any, stored_file: Any) -> bool:
    """Files app hook: activity files are read by the activity's organisation (staff read all)."""
    if user.organisation_id is None:
        return False
    return ActivityFile.objects.filter(file=stored_file, activity__organisation_id=user.organisation_id).exists()
