"""Reads of credit hours, scoped by the user. One selector per model:

* ``practitioners_for``: the people whose hours a user may read (themselves; a member admin
  their company's members; staff every member company's users, optionally one company).
* ``claim_list`` / ``claim_get``, ``deferral_list`` / ``deferral_get``: own records, the
  company's for its admin, all for staff. Anything else answers 404, like a missing record.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from huifu.accounts.models import User, UserKind
from huifu.events.models import Session

from .models import CreditRule, Deferral, ExternalClaim, HourCategory, SessionCredit

EVIDENCE_PURPOSE = "credit_evidence"


def _scope(user: Any) -> Q | None:
    """Q on ``person`` / ``organisation`` fields for claims and deferrals; None: nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.has_perm("credits.view_all_companies"):
        return Q()
    if user.has_perm("credits.view_company_hours"):
        return Q(organisation_id=user.organisation_id)
    if user.has_perm("credits.view_own_hours"):
        return Q(person=user)
    return None


def practitioners_for(*, user: Any, organisation_id: int | None = None, text: str = "") -> QuerySet[User]:
    """Active member users whose hours ``user`` may read, by company then name."""
    people = User.objects.filter(kind=UserKind.MEMBER, is_active=True).select_related("organisation")
    if user.has_perm("credits.view_all_companies"):
        if organisation_id:
            people = people.filter(organisation_id=organisation_id)
    elif user.has_perm("credits.view_company_hours"):
        people = people.filter(organisation_id=user.organisation_id)
    elif user.has_perm("credits.view_own_hours"):
        people = people.filter(pk=user.pk)
    else:
        return people.none()
    if text:
        people = people.filter(Q(full_name__icontains=text) | Q(email__icontains=text))
    return people.order_by("organisation__name_zh", "full_name", "pk")


def practitioner_get(*, user: Any, person_id: int) -> User:
    found = practitioners_for(user=user).filter(pk=person_id).first()
    if found is None:
        raise Http404
    return found


def claim_list(*, user: Any, state: str = "") -> QuerySet[ExternalClaim]:
    scope = _scope(user)
    if scope is None:
        return ExternalClaim.objects.none()
    claims = ExternalClaim.objects.filter(scope).select_related("person", "organisation", "category", "decided_by")
    if state:
        claims = claims.filter(state=state)
    return claims.order_by("-created_at", "-pk")


def claim_get(*, user: Any, claim_id: int) -> ExternalClaim:
    found = claim_list(user=user).select_related("evidence").filter(pk=claim_id).first()
    if found is None:
        raise Http404
    return found


def deferral_list(*, user: Any, state: str = "") -> QuerySet[Deferral]:
    scope = _scope(user)
    if scope is None:
        return Deferral.objects.none()
    deferrals = Deferral.objects.filter(scope).select_related("person", "organisation", "decided_by")
    if state:
        deferrals = deferrals.filter(state=state)
    return deferrals.order_by("-created_at", "-pk")


def deferral_get(*, user: Any, deferral_id: int) -> Deferral:
    found = deferral_list(user=user).select_related("evidence").filter(pk=deferral_id).first()
    if found is None:
        raise Http404
    return found


def evidence_file_readable(user: Any, stored_file: Any) -> bool:
    """A claim's or deferral's evidence: whoever may read the claim or deferral."""
    scope = _scope(user)
    if scope is None:
        return False
    return (
        ExternalClaim.objects.filter(scope, evidence=stored_file).exists()
        or Deferral.objects.filter(scope, evidence=stored_file).exists()
    )


def category_list(*, active_only: bool = False) -> QuerySet[HourCategory]:
    categories = HourCategory.objects.all()
    return categories.filter(is_active=True) if active_only else categories


def rule_list() -> QuerySet[CreditRule]:
    return CreditRule.objects.prefetch_related("minimums__category").order_by("-year")


def credited_sessions(*, year: int | None = None) -> QuerySet[Session]:
    """Sessions (staff view) with their grant, for the grants list."""
    sessions = Session.objects.select_related("series", "credit").prefetch_related("credit__hours__category")
    if year:
        sessions = sessions.filter(date__year=year)
    return sessions.order_by("-date", "pk")


def session_credit_of(session: Session) -> SessionCredit | None:
    return SessionCredit.objects.filter(session=session).prefetch_related("hours__category").first()
