"""Reads of the directory, always scoped by the user asking. Another organisation's record is
answered with 404, exactly like a missing one."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_staff_user

from .models import BusinessArea, Contact, Department, Liaison, Organisation


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Staff see every organisation; an org user only their own; anyone else nothing."""
    qs = Organisation.objects.all()
    if is_staff_user(user):
        return qs
    if user.is_authenticated and user.is_active and user.organisation_id is not None:
        return qs.filter(pk=user.organisation_id)
    return qs.none()


@dataclass(frozen=True)
class OrganisationFilter:
    q: str = ""
    kind: str = ""
    status: str = ""
    region: str = ""

    def as_query(self) -> dict[str, str]:
        return {
            k: v for k, v in (("q", self.q), ("kind", self.kind), ("status", self.status), ("region", self.region)) if v
        }


def organisation_list(*, user: Any, filters: OrganisationFilter | None = None) -> QuerySet[Organisation]:
    """Organisations the user may see, searched by name, short name, member number or USCC."""
    f = filters or OrganisationFilter()
    qs = organisations_visible_to(user)
    if f.q:
        qs = organisation_search(qs, f.q)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.region:
        qs = qs.filter(region=f.region)
    return qs.annotate(contact_count=Count("contacts", distinct=True)).order_by("kind", "member_number", "name_zh")


def organisation_search(qs: QuerySet[Organisation], text: str) -> QuerySet[Organisation]:
    """Organisations of ``qs`` whose name, short name, member number or credit code contain ``text``."""
    term = text.strip()
    if not term:
        return qs
    return qs.filter(
        Q(name_zh__icontains=term)
        | Q(name_en__icontains=term)
        | Q(short_name__icontains=term)
        | Q(member_number__icontains=term)
        | Q(uscc__icontains=term.upper())
    )


def organisation_get(*, user: Any, pk: int) -> Organisation:
    try:
        return organisations_visible_to(user).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such organisation")


def organisation_contacts(*, organisation: Organisation) -> QuerySet[Contact]:
    """Contacts of an organisation the caller has already fetched through ``organisation_get``."""
    return organisation.contacts.select_related("user").order_by("-is_primary", "name", "id")


def organisation_users(*, organisation: Organisation) -> QuerySet[Any]:
    return organisation.users.order_by("email")


def contacts_visible_to(user: Any) -> QuerySet[Contact]:
    qs = Contact.objects.select_related("organisation")
    if is_staff_user(user):
        return qs
    if user.is_authenticated and user.is_active and user.organisation_id is not None:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def contact_get(*, user: Any, pk: int) -> Contact:
    try:
        return contacts_visible_to(user).get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise Http404("No such contact")


def contacts_for_export(*, user: Any, organisations: QuerySet[Organisation]) -> QuerySet[Contact]:
    return (
        contacts_visible_to(user)
        .filter(organisation__in=organisations.values("pk"))
        .order_by("organisation__kind", "organisation__member_number", "organisation__name_zh", "-is_primary", "id")
    )


# --- departments and liaison people ---------------------------------------------------------


def departments_admin() -> QuerySet[Department]:
    """Every department with its business areas and every liaison (published or not)."""
    return Department.objects.prefetch_related(
        Prefetch("business_areas", queryset=BusinessArea.objects.order_by("sort_order", "id")),
        Prefetch("liaisons", queryset=Liaison.objects.select_related("business_area").order_by("sort_order", "id")),
    ).order_by("sort_order", "code")


def department_get(*, pk: int) -> Department:
    try:
        return Department.objects.get(pk=pk)
    except (Department.DoesNotExist, ValueError, TypeError):
        raise Http404("No such department")


def business_area_get(*, pk: int) -> BusinessArea:
    try:
        return BusinessArea.objects.select_related("department").get(pk=pk)
    except (BusinessArea.DoesNotExist, ValueError, TypeError):
        raise Http404("No such business area")


def liaison_get(*, pk: int) -> Liaison:
    try:
        return Liaison.objects.select_related("department", "business_area").get(pk=pk)
    except (Liaison.DoesNotExist, ValueError, TypeError):
        raise Http404("No such liaison person")


def department_order() -> list[int]:
    return list(Department.objects.order_by("sort_order", "code").values_list("pk", flat=True))


def business_area_order(*, department: Department) -> list[int]:
    return list(department.business_areas.order_by("sort_order", "id").values_list("pk", flat=True))


def liaison_order(*, department: Department) -> list[int]:
    return list(department.liaisons.order_by("sort_order", "id").values_list("pk", flat=True))


def published_departments() -> QuerySet[Department]:
    """Active departments with their business areas and published liaison people, in order."""
    return (
        Department.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch("business_areas", queryset=BusinessArea.objects.order_by("sort_order", "id")),
            Prefetch(
                "liaisons",
                queryset=Liaison.objects.filter(is_published=True)
                .select_related("business_area")
                .order_by("sort_order", "id"),
            ),
        )
        .order_by("sort_order", "code")
    )


@dataclass
class LiaisonPage:
    departments: list[Department] = field(default_factory=list)
    updated_at: datetime.datetime | None = None


def liaison_page() -> LiaisonPage:
    """What the member-facing 'departments and liaison people' column shows (a fixed 4 queries)."""
    departments = list(published_departments())
    updated = Department.objects.filter(is_active=True).aggregate(
        dept=Max("updated_at"), liaison=Max("liaisons__updated_at", filter=Q(liaisons__is_published=True))
    )
    stamps = [s for s in (updated["dept"], updated["liaison"]) if s is not None]
    return LiaisonPage(departments=departments, updated_at=max(stamps) if stamps else None)
