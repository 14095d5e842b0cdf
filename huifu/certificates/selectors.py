"""Certificate reads, scoped by the user (the same rules as ``permissions.py``): staff read
all; everyone else their own, a member admin also its company's people's, a co-organiser also
the attendance certificates of the sessions it co-organises (``events.selectors.session_list``,
the events app's co-organiser scoping). Outside the scope answers 404 like a missing one."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_org_admin, is_regulator, is_staff_user
from huifu.events.selectors import session_list

from .codes import normalise_code
from .models import Certificate


def _certificates() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("holder", "organisation", "session", "series", "replaced_by")


def certificate_list(*, user: Any) -> QuerySet[Certificate]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Certificate.objects.none()
    qs = _certificates()
    if is_staff_user(user):
        return qs.order_by("-issued_at", "-pk")
    scope = Q(holder=user)
    if user.organisation_id is not None:
        if is_member_user(user) and is_org_admin(user):
            scope |= Q(organisation_id=user.organisation_id)
        if not is_regulator(user):
            scope |= Q(session__in=session_list(user=user).values("pk"))
    return qs.filter(scope).order_by("-issued_at", "-pk")


def certificate_get(*, user: Any, certificate_id: int) -> Certificate:
    certificate = certificate_list(user=user).filter(pk=certificate_id).first()
    if certificate is None:
        raise Http404
    return certificate


def my_certificates(*, user: Any) -> QuerySet[Certificate]:
    """The user's own certificates (the home card and "My certificates")."""
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    return _certificates().filter(holder=user).order_by("-issued_at", "-pk")


def session_certificates(*, session: Any) -> QuerySet[Certificate]:
    return _certificates().filter(session=session).order_by("holder_name", "pk")


def certificate_chain(certificate: Certificate) -> list[Certificate]:
    """The certificates this one replaced, oldest first (re-issues after name corrections)."""
    chain = []
    current = certificate.replaces
    while current is not None and len(chain) < 50:
        chain.append(current)
        current = current.replaces
    return list(reversed(chain))


def certificate_verify(*, code: str) -> Certificate | None:
    """The certificate a public verification code names, or None (malformed, altered, unknown)."""
    normalised = normalise_code(code)
    if normalised is None:
        return None
    return Certificate.objects.select_related("session", "series", "replaced_by").filter(code=normalised).first()
