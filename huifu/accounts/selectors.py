"""Reads of accounts, always scoped by the user who asks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from huifu.directory.models import Department, Organisation

from .models import PersonalAccessToken, User, UserKind
from .predicates import is_coordinator, is_org_admin


def _with_mfa_flag(queryset: QuerySet[User]) -> QuerySet[User]:
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return queryset.annotate(has_totp=Exists(totp))


def user_visible_queryset(*, actor: Any) -> QuerySet[User]:
    """The users ``actor`` may see and manage: all for the coordinator, their own organisation's
    for an org admin, nobody for anyone else. The system actor is nobody's to manage."""
    queryset = User.objects.exclude(kind=UserKind.SYSTEM).select_related("organisation", "department")
    if is_coordinator(actor):
        return queryset
    if is_org_admin(actor):
        return queryset.filter(organisation_id=actor.organisation_id)
    return queryset.none()


@dataclass(frozen=True)
class UserFilters:
    q: str = ""
    kind: str = ""
    organisation_id: int | None = None
    active: str = ""  # "", "yes", "no"


def user_list(*, actor: Any, filters: UserFilters | None = None) -> QuerySet[User]:
    filters = filters or UserFilters()
    queryset = _with_mfa_flag(user_visible_queryset(actor=actor))
    if filters.q:
        queryset = queryset.filter(
            Q(email__icontains=filters.q)
            | Q(full_name__icontains=filters.q)
            | Q(organisation__name_zh__icontains=filters.q)
            | Q(organisation__short_name__icontains=filters.q)
        )
    if filters.kind in UserKind.values:
        queryset = queryset.filter(kind=filters.kind)
    if filters.organisation_id is not None:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    if filters.active == "yes":
        queryset = queryset.filter(is_active=True)
    elif filters.active == "no":
        queryset = queryset.filter(is_active=False)
    return queryset.order_by("email")


def user_get(*, actor: Any, user_id: int) -> User:
    """A user ``actor`` may manage; another organisation's user answers 404 like a missing one."""
    user = _with_mfa_flag(user_visible_queryset(actor=actor)).filter(pk=user_id).first()
    if user is None:
        raise Http404("no such user")
    return user


def manageable_organisations(*, actor: Any) -> QuerySet[Organisation]:
    """Organisations ``actor`` may create users in."""
    if is_coordinator(actor):
        return Organisation.objects.all()
    if is_org_admin(actor):
        return Organisation.objects.filter(pk=actor.organisation_id)
    return Organisation.objects.none()


def assignable_departments(*, actor: Any) -> QuerySet[Department]:
    """Departments ``actor`` may put staff in (only the coordinator creates staff)."""
    if is_coordinator(actor):
        return Department.objects.filter(is_active=True)
    return Department.objects.none()


def has_active_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def token_list(*, user: Any) -> QuerySet[PersonalAccessToken]:
    """``user``'s own tokens, newest first, revoked ones included (they show as revoked)."""
    return PersonalAccessToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def token_get(*, user: Any, token_id: int) -> PersonalAccessToken:
    token = token_list(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404("no such token")
    return token


def organisation_users_mfa(*, organisation: Organisation) -> QuerySet[User]:
    return _with_mfa_flag(User.objects.filter(organisation=organisation)).order_by("email")
