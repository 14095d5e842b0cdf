"""Reads of session materials, scoped by the user.

Who sees a material:

* in management (every state): staff, and the users of the session's co-organisers;
* published (approved, on a published session): ``public`` ones anyone, ``members`` ones member
  company users, ``registered`` ones the people with a confirmed registration for the session,
  and staff and the session's co-organisers all of them;
* withdrawn: nobody, on any page, file link or API answer (staff keep the history).

"Not visible" answers exactly like "does not exist" (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_staff_user

from .models import Material, MaterialAudience, MaterialState, Registration, RegistrationState, Session, SessionState

MATERIAL_PURPOSE = "event_material"


def _manages(user: Any, session: Session) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("events.view_session", session))


def visible_audiences(*, user: Any, session: Session) -> frozenset[str]:
    """The audiences of the published materials of ``session`` that ``user`` may see (≤ 2 queries)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset({MaterialAudience.PUBLIC})
    if _manages(user, session):
        return frozenset(MaterialAudience.values)
    audiences = {MaterialAudience.PUBLIC}
    if is_member_user(user):
        audiences.add(MaterialAudience.MEMBERS)
    if Registration.objects.filter(session=session, person=user, state=RegistrationState.CONFIRMED).exists():
        audiences.add(MaterialAudience.REGISTERED)
    return frozenset(audiences)


def published_materials(*, user: Any, session: Session) -> list[Material]:
    """The published materials of a published session that ``user`` may see, slides first."""
    if session.state != SessionState.PUBLISHED:
        return []
    audiences = visible_audiences(user=user, session=session)
    return list(
        Material.objects.filter(session=session, state=MaterialState.APPROVED, audience__in=audiences)
        .select_related("file")
        .order_by("kind", "pk")
    )


def session_materials(*, user: Any, session: Session) -> list[Material]:
    """Every material of the session in every state, for staff and the session's co-organisers."""
    if not _manages(user, session):
        return []
    return list(
        Material.objects.filter(session=session)
        .select_related("file", "uploaded_by", "reviewed_by")
        .order_by("kind", "pk")
    )


def material_get(*, user: Any, material_id: int) -> Material:
    """A material for its management page: staff, or a co-organiser of its session; else 404."""
    material = (
        Material.objects.select_related("session__series", "file", "uploaded_by", "reviewed_by")
        .filter(pk=material_id)
        .first()
    )
    if material is None or not _manages(user, material.session):
        raise Http404
    return material


def material_readable(user: Any, material: Material) -> bool:
    """May ``user`` open this material's file or link now (see the module docstring)?"""
    if material.state == MaterialState.WITHDRAWN:
        return False
    session = material.session
    if _manages(user, session):
        return True
    if material.state != MaterialState.APPROVED or session.state != SessionState.PUBLISHED:
        return False
    return material.audience in visible_audiences(user=user, session=session)


def material_for_download(*, user: Any, material_id: int) -> Material:
    """A material with a stored file that ``user`` may download; 404 otherwise."""
    material = Material.objects.select_related("session", "file").filter(pk=material_id).first()
    if material is None or material.file is None or not material_readable(user, material):
        raise Http404
    return material


def material_file_readable(user: Any, stored_file: Any) -> bool:
    """The ``huifu.files`` access checker for material files (``files:download``)."""
    material = Material.objects.select_related("session").filter(file=stored_file).first()
    return material is not None and material_readable(user, material)


def review_queue(*, user: Any) -> QuerySet[Material]:
    """Materials awaiting compliance review, oldest submission first (event managers only)."""
    if not user.has_perm("events.view_material_queue"):
        return Material.objects.none()
    return (
        Material.objects.filter(state=MaterialState.SUBMITTED)
        .select_related("session__series", "file", "uploaded_by")
        .order_by("submitted_at", "pk")
    )


def checklist_items() -> list[Any]:
    from .models import ComplianceCheckItem

    return list(ComplianceCheckItem.objects.filter(is_active=True).order_by("sort_order", "pk"))


def is_reviewer_of(user: Any, material: Material) -> bool:
    return bool(is_staff_user(user) and user.has_perm("events.review_material", material))
