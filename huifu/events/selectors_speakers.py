"""Speaker reads, scoped by the user.

* The pool and the profiles: staff (``events.view_speakers``); the public profile shows a
  speaker with at least one published session, and only the published sessions.
* Invitations of a session: staff and the session's co-organiser.
* "My speaking invitations": the user's own (as the linked speaker); a member company's users
  also see the invitations of their company's analysts, never another company's.
* ``speaker_talks``: a speaker's sessions with date, series and attendance counts (it will feed
  the analyst award).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from huifu.accounts.predicates import is_member_user, is_staff_user

from .models import (
    CheckIn,
    InvitationState,
    Registration,
    RegistrationState,
    Session,
    SessionState,
    Speaker,
    SpeakerInvitation,
    SpeakerKind,
)


def _other_companies_analysts(user: Any, prefix: str = "") -> Q:
    """Analysts of a member company other than the user's: outside a partner's view."""
    return Q(**{f"{prefix}kind": SpeakerKind.MEMBER_ANALYST}) & ~Q(**{f"{prefix}organisation_id": user.organisation_id})


def _speakers() -> QuerySet[Speaker]:
    return Speaker.objects.select_related("organisation", "user").prefetch_related("products")


def speaker_list(*, user: Any, kind: str = "", query: str = "") -> QuerySet[Speaker]:
    """The pool (staff only), optionally one kind, or names/organisations/topics containing ``query``."""
    if not user.has_perm("events.view_speakers"):
        return Speaker.objects.none()
    qs = _speakers()
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(
            Q(name__icontains=query)
            | Q(organisation_name__icontains=query)
            | Q(organisation__name_zh__icontains=query)
            | Q(topics__icontains=query)
        )
    return qs.order_by("name", "pk")


def speaker_get(*, user: Any, speaker_id: int) -> Speaker:
    speaker = speaker_list(user=user).filter(pk=speaker_id).first()
    if speaker is None:
        raise Http404
    return speaker


def public_speaker_get(*, speaker_id: int) -> Speaker:
    """A speaker of at least one published session (the others have no public page)."""
    speaker = _speakers().filter(pk=speaker_id, sessions__state__in=SessionState.public()).distinct().first()
    if speaker is None:
        raise Http404
    return speaker


def _count(model: Any, path: str, **filters: Any) -> Coalesce:
    """A per-session count as a subquery (no join fan-out, one query for the whole list)."""
    rows = (
        model.objects.filter(**{path: OuterRef("pk")}, **filters)
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def speaker_talks(speaker: Speaker, *, published_only: bool = False) -> QuerySet[Session]:
    """The speaker's sessions, latest first, with ``series`` loaded and per session
    ``registered_count`` (confirmed registrations) and ``checked_in_count`` (on-site check-ins).
    ``published_only``: only the sessions shown on the public pages (the profile's public view).
    Online attendance is not counted yet (its import lives with the attendance topic)."""
    qs = Session.objects.filter(speakers=speaker).select_related("series")
    if published_only:
        qs = qs.filter(state__in=SessionState.public())
    return qs.annotate(
        registered_count=_count(Registration, "session", state=RegistrationState.CONFIRMED),
        checked_in_count=_count(CheckIn, "registration__session"),
    ).order_by("-date", "-slot", "-pk")


# --- invitations ---------------------------------------------------------------------------------


def _invitations() -> QuerySet[SpeakerInvitation]:
    return SpeakerInvitation.objects.select_related(
        "session__series", "speaker__organisation", "speaker__user", "invited_by", "replied_by"
    )


def session_invitations(*, user: Any, session: Session) -> QuerySet[SpeakerInvitation]:
    """Every invitation of the session (pending, answered, expired, withdrawn), for staff and the
    session's co-organiser; nothing for anyone else."""
    if not user.has_perm("events.view_speaker_invitations", session):
        return SpeakerInvitation.objects.none()
    qs = _invitations().filter(session=session)
    if not is_staff_user(user):
        qs = qs.exclude(_other_companies_analysts(user, "speaker__"))
    return qs.order_by("-created_at", "-pk")


def speaker_invitations(*, speaker: Speaker) -> QuerySet[SpeakerInvitation]:
    """A speaker's invitations (the staff profile page; the caller checked the profile access)."""
    return _invitations().filter(speaker=speaker).order_by("-created_at", "-pk")


def my_speaker_invitations(*, user: Any) -> QuerySet[SpeakerInvitation]:
    """The user's own invitations as a speaker; for a member company's users also those of the
    company's analysts (another company's never)."""
    if not getattr(user, "is_authenticated", False):
        return SpeakerInvitation.objects.none()
    scope = Q(speaker__user=user)
    if is_member_user(user) and user.organisation_id is not None:
        scope |= Q(speaker__organisation_id=user.organisation_id)
    return _invitations().filter(scope).order_by("-created_at", "-pk")


def my_speaker_invitation_get(*, user: Any, invitation_id: int) -> SpeakerInvitation:
    invitation = my_speaker_invitations(user=user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def manageable_invitation_get(*, user: Any, invitation_id: int) -> SpeakerInvitation:
    """An invitation of a session the user sees invitations of (staff, the co-organiser)."""
    invitation = _invitations().filter(pk=invitation_id).first()
    if (
        invitation is None
        or not session_invitations(user=user, session=invitation.session).filter(pk=invitation_id).exists()
    ):
        raise Http404
    return invitation


def invitable_speakers(*, user: Any, session: Session) -> QuerySet[Speaker]:
    """Pool speakers not yet speaking at the session and not holding an active invitation to it;
    for a co-organiser without analysts of other companies."""
    active = SpeakerInvitation.objects.filter(session=session, state__in=InvitationState.active())
    qs = (
        Speaker.objects.exclude(sessions=session)
        .exclude(pk__in=active.values("speaker_id"))
        .select_related("organisation")
    )
    if not is_staff_user(user):
        qs = qs.exclude(_other_companies_analysts(user))
    return qs.order_by("name", "pk")
