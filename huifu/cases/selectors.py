"""Reading cases, scoped by the user who asks.

Audience: a ``public`` case is read by anyone (without an account on the public site,
``public_case_list``; here by every logged-in user), a ``members`` case by users of
member companies (futures companies, platform traders). Partners, regulators and public
participants read public cases only. Staff read every case in every state.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_logged_in, is_staff_user
from huifu.directory.models import OrganisationKind

from .models import Case, CaseAudience, CaseFile, CaseStatus


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def audiences_for(user: Any) -> list[str]:
    if not is_logged_in(user):
        return []
    audiences = [CaseAudience.PUBLIC]
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.kind in OrganisationKind.member_kinds():
        audiences.append(CaseAudience.MEMBERS)
    return audiences


def cases_for_reader(user: Any) -> QuerySet[Case]:
    """Published cases addressed to ``user`` (staff: every published case)."""
    qs = Case.objects.filter(status=CaseStatus.PUBLISHED)
    if is_staff_user(user):
        return qs
    return qs.filter(audience__in=audiences_for(user))


def case_list(
    *, user: Any, search: str = "", industry: str = "", product: str = "", audience: str = "", status: str = ""
) -> QuerySet[Case]:
    """The case list: readers get published cases of their audience; staff every case (filter
    by ``status``). Annotated with ``file_count``; a fixed number of queries."""
    if is_staff_user(user):
        qs = Case.objects.all()
        if status and status in CaseStatus.values:
            qs = qs.filter(status=status)
    else:
        qs = cases_for_reader(user)
    qs = qs.select_related("enterprise").annotate(file_count=Count("files")).order_by("-published_at", "-pk")
    if audience and audience in CaseAudience.values:
        qs = qs.filter(audience=audience)
    if industry:
        qs = qs.filter(industry__icontains=industry)
    if product:
        qs = qs.filter(products_text__icontains=product)
    if search:
        qs = case_search(qs, search, user=user)
    return qs


def case_search(qs: QuerySet[Case], text: str, *, user: Any) -> QuerySet[Case]:
    """Cases of ``qs`` whose title, summary, body or enterprise label contain ``text`` (the list's
    text filter)."""
    text = text.strip()
    if not text:
        return qs
    matches = (
        Q(title__icontains=text)
        | Q(summary__icontains=text)
        | Q(body__icontains=text)
        | Q(enterprise_label__icontains=text)
    )
    if is_staff_user(user):
        # The directory enterprise behind an anonymised label is staff-only: searching by
        # it would tell a reader which real company a case is about.
        matches |= Q(enterprise__name_zh__icontains=text)
    return qs.filter(matches)


def case_get(*, user: Any, case_id: Any) -> Case:
    """One case the user may read (staff: any state); 404 alike for missing and not addressed."""
    qs = Case.objects.all() if is_staff_user(user) else cases_for_reader(user)
    case = (
        qs.select_related("enterprise", "created_by", "source_type")
        .prefetch_related(Prefetch("files", queryset=CaseFile.objects.select_related("file")))
        .filter(pk=_int(case_id))
        .first()
    )
    if case is None:
        raise Http404("case not found")
    return case


def case_industries() -> list[str]:
    return list(
        Case.objects.filter(status=CaseStatus.PUBLISHED)
        .exclude(industry="")
        .order_by("industry")
        .values_list("industry", flat=True)
        .distinct()
    )


def case_file_readable(user: Any, stored_file: Any) -> bool:
    """Files checker for case images and documents: readable with a published case the user may read."""
    return CaseFile.objects.filter(file_id=stored_file.pk, case__in=cases_for_reader(user)).exists()


def public_case_list() -> QuerySet[Case]:
    """Published cases whose audience is ``public``: readable by anyone, also without an account
    (the public site, ``huifu.publicsite``). Drafts, withdrawn and members-only cases never."""
    return (
        Case.objects.filter(status=CaseStatus.PUBLISHED, audience=CaseAudience.PUBLIC)
        .only("pk", "title", "summary", "industry", "products", "enterprise_label", "published_at")
        .order_by("-published_at", "-pk")
    )


def public_case_get(*, case_id: Any) -> Case:
    """One public published case; 404 alike for missing, draft, withdrawn and members-only."""
    case = public_case_list().filter(pk=_int(case_id)).first()
    if case is None:
        raise Http404("case not found")
    return case
