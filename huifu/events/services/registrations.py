"""Registration writes. Every service that can take or free a seat locks the session row first
(``select_for_update``), so two requests never both take the last seat; seats are counted inside
that lock. A person holds at most one active registration per session (database constraint).

* ``registration_create``: the person registers themselves, or a member company's user registers
  a colleague of the same company. Confirmed at once while seats remain (and the session needs no
  approval); ``pending`` when it needs approval; ``waitlisted`` when full (promotion from the
  waiting list is not built yet: issue #11 point 4).
* ``registration_approve`` / ``registration_refuse``: moderation by staff or the session's
  co-organiser; approval over capacity puts the person on the waiting list.
* ``registration_cancel``: by the person, whoever registered them, or staff; at any time, from
  every active state (leaving the waiting list too).
* Waiting list: when a seat frees (a cancellation, capacity raised) the first person waiting is
  ``offered`` the seat (held for them) until the end of the series' ``offer_working_days``-th
  working day (working-day calendar; never after registration closes);
  ``registration_offer_accept`` confirms it. ``registration_offers_expire`` (the periodic sweep,
  ``manage.py events_expire_offers``) expires unconfirmed offers and offers the seat to the next.
  Offers stop when registration closes. Every offer and expiry is an audit entry.

A confirmation e-mail with the session's .ics goes out (after commit, through the outbox) when a
registration becomes confirmed. Errors carry stable codes: ``registration_closed``,
``not_published``, ``already_registered``, ``not_a_colleague``, ``illegal_transition``.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.system import is_system_actor
from huifu.audit.services import audit_create, audit_transition
from huifu.core.permissions import require
from huifu.files.models import StoredFile
from huifu.outbox.services import mail_enqueue
from huifu.workdays.services import deadline_at

from ..ics import session_calendar
from ..models import (
    REGISTRATION_TRANSITIONS,
    Registration,
    RegistrationState,
    Series,
    Session,
    SessionState,
)
from ..tickets import ticket_token

EVENT_ICS_PURPOSE = "event_ics"
R = RegistrationState


class RegistrationError(ValidationError):
    """The registration cannot be made or changed (see the code)."""


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("series").get(pk=session.pk)


def seats_taken(session: Session) -> int:
    return session.registrations.filter(state__in=R.seated()).count()


def _has_seat(session: Session) -> bool:
    return session.capacity is None or seats_taken(session) < session.capacity


def _store_ics(session: Session, registration: Registration) -> StoredFile:
    """Keep the generated .ics so the outbox can attach it (our own output, stored directly)."""
    content = session_calendar(session, settings.SITE_URL.rstrip("/"))
    stored = StoredFile(
        id=uuid.uuid4(),
        original_name=f"session-{session.pk}.ics",
        content_type="text/calendar",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        uploaded_by=None,
        organisation=registration.organisation,
        purpose=EVENT_ICS_PURPOSE,
        uploaded_at=timezone.now(),
    )
    stored.file.save(stored.id.hex, ContentFile(content), save=False)
    stored.save()
    return stored


def _confirmation_mail(registration: Registration) -> None:
    session = registration.session
    person = registration.person
    if not person.email:
        return
    lines = [
        f"{person.full_name or person.email}，您好：",
        "",
        f"您已成功报名：{session.series.title_zh}「{session.title}」。",
        f"时间：{session.starts_at:%Y-%m-%d %H:%M}–{session.ends_at:%H:%M}",
    ]
    if session.has_venue:
        lines.append(f"地点：{session.address} {session.room}".rstrip())
    if session.is_online:
        lines.append(f"线上平台：{session.platform}")
        if session.link:
            lines.append(f"参会链接：{session.link}")
    lines += [
        "",
        f"入场票证号：{ticket_token(registration)}（二维码见会服“我的报名”：{settings.SITE_URL.rstrip('/')}/events/my/）",
        "日历文件（.ics）见附件。如不能参加，请登录会服取消报名。",
    ]
    mail_enqueue(
        to=person.email,
        subject=f"[会服·投资者教育] 报名确认：{session.title}",
        body_text="\n".join(lines),
        recipient=person,
        organisation=registration.organisation,
        topic="events",
        attachments=[_store_ics(session, registration)],
    )


def _offer_mail(registration: Registration) -> None:
    session = registration.session
    person = registration.person
    if not person.email:
        return
    deadline = timezone.localtime(registration.offer_expires_at)
    mail_enqueue(
        to=person.email,
        subject=f"[会服·投资者教育] 候补名额：{session.title}",
        body_text="\n".join(
            [
                f"{person.full_name or person.email}，您好：",
                "",
                f"「{session.title}」（{session.starts_at:%Y-%m-%d %H:%M}）有名额空出，已为您保留。",
                f"请在 {deadline:%Y-%m-%d %H:%M} 前登录会服确认，逾期名额将顺延给下一位候补人员。",
            ]
        ),
        recipient=person,
        organisation=registration.organisation,
        topic="events",
    )


def _offer_deadline(session: Session, now: Any) -> Any:
    series = session.series if isinstance(session.series, Series) else Series.objects.get(pk=session.series_id)
    due = deadline_at(now, max(series.offer_working_days, 0)).at
    return min(due, session.closes_at)


def _promote(session: Session, actor: Any) -> int:
    """Offer free seats to the waiting list in order. The caller holds the session lock.
    Returns the number of offers made. No offers once registration has closed."""
    now = timezone.now()
    if session.state != SessionState.PUBLISHED or now >= session.closes_at:
        return 0
    made = 0
    while session.capacity is None or seats_taken(session) < session.capacity:
        nxt = (
            Registration.objects.select_for_update()
            .select_related("person", "session__series")
            .filter(session=session, state=R.WAITLISTED)
            .order_by("created_at", "pk")
            .first()
        )
        if nxt is None:
            break
        nxt.offer_expires_at = _offer_deadline(session, now)
        nxt.save(update_fields=["offer_expires_at"])
        _move(nxt, R.OFFERED, actor, "offered from the waiting list")
        _offer_mail(nxt)
        made += 1
    return made


def _move(registration: Registration, target: str, actor: Any, message: str = "") -> Registration:
    if target not in REGISTRATION_TRANSITIONS[registration.state]:
        raise RegistrationError(
            _("A registration that is “%(state)s” cannot become “%(target)s”.")
            % {"state": registration.get_state_display(), "target": RegistrationState(target).label},
            code="illegal_transition",
        )
    source = registration.state
    registration.state = target
    registration.decided_at = timezone.now()
    if target != R.OFFERED:
        registration.offer_expires_at = None
    registration.save(update_fields=["state", "decided_at", "offer_expires_at"])
    audit_transition(actor=actor, target=registration, source=source, target_state=target, message=message[:500])
    if target == R.CONFIRMED:
        _confirmation_mail(registration)
    return registration


@transaction.atomic
def registration_create(*, actor: Any, session: Session, person: Any = None) -> Registration:
    """Register ``person`` (default: the actor) for a published session before it closes."""
    person = person if person is not None else actor
    if actor is not None and not is_system_actor(actor) and person.pk != getattr(actor, "pk", None):
        require(actor, "events.register_colleague")
        if person.organisation_id is None or person.organisation_id != actor.organisation_id or not person.is_active:
            raise PermissionDenied(_("You may register colleagues of your own company only."))
    else:
        require(actor, "events.register")
    session = _lock_session(session)
    if session.state != SessionState.PUBLISHED:
        raise RegistrationError(_("This session is not open for registration."), code="not_published")
    if timezone.now() >= session.closes_at:
        raise RegistrationError(_("Registration for this session has closed."), code="registration_closed")
    if session.registrations.filter(person=person, state__in=R.active()).exists():
        raise RegistrationError(
            _("%(name)s is already registered for this session.") % {"name": person}, code="already_registered"
        )
    if session.requires_approval:
        state = R.PENDING
    elif _has_seat(session):
        state = R.CONFIRMED
    else:
        state = R.WAITLISTED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                session=session,
                person=person,
                registered_by=actor if getattr(actor, "pk", None) and not is_system_actor(actor) else person,
                organisation_id=person.organisation_id,
                state=state,
            )
    except IntegrityError:
        raise RegistrationError(
            _("%(name)s is already registered for this session.") % {"name": person}, code="already_registered"
        ) from None
    audit_create(actor=actor, target=registration)
    if state == R.CONFIRMED:
        _confirmation_mail(registration)
    return registration


def _lock(registration: Registration) -> tuple[Session, Registration]:
    session = _lock_session(registration.session)
    return session, Registration.objects.select_for_update().select_related("person", "session__series").get(
        pk=registration.pk
    )


@transaction.atomic
def registration_approve(*, actor: Any, registration: Registration) -> Registration:
    """Confirm a pending registration; when the session is full it goes to the waiting list."""
    session, registration = _lock(registration)
    require(actor, "events.moderate_registration", session)
    if registration.state != R.PENDING:
        raise RegistrationError(_("Only a registration awaiting approval can be approved."), code="illegal_transition")
    return _move(registration, R.CONFIRMED if _has_seat(session) else R.WAITLISTED, actor)


@transaction.atomic
def registration_refuse(*, actor: Any, registration: Registration, reason: str = "") -> Registration:
    session, registration = _lock(registration)
    require(actor, "events.moderate_registration", session)
    if registration.state != R.PENDING:
        raise RegistrationError(_("Only a registration awaiting approval can be refused."), code="illegal_transition")
    return _move(registration, R.REFUSED, actor, reason)


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> Registration:
    """Cancel at any time before the session ends: by the person, whoever registered them, staff
    managing events or the session's co-organiser."""
    session, registration = _lock(registration)
    require(actor, "events.cancel_registration", registration)
    freed = registration.state in R.seated()
    registration = _move(registration, R.CANCELLED, actor)
    if freed:
        _promote(session, actor)
    return registration


@transaction.atomic
def registration_offer_accept(*, actor: Any, registration: Registration) -> Registration:
    """Confirm a seat offered from the waiting list before its deadline."""
    session, registration = _lock(registration)
    require(actor, "events.cancel_registration", registration)
    if registration.state != R.OFFERED:
        raise RegistrationError(_("There is no offered seat to confirm."), code="illegal_transition")
    if timezone.now() > registration.offer_expires_at:
        raise RegistrationError(_("The offer has expired."), code="offer_expired")
    return _move(registration, R.CONFIRMED, actor)


def session_seats_changed(*, session: Session, actor: Any) -> int:
    """Offer seats freed by a capacity change. The caller holds the session lock (session_update)."""
    return _promote(session, actor)


def registration_offers_expire(*, actor: Any) -> int:
    """The periodic sweep: expire every offer past its deadline and offer the seat to the next
    person waiting. One transaction per session, so one slow session does not hold the others.
    Returns the number of offers expired."""
    require(actor, "events.publish_session")
    now = timezone.now()
    session_ids = (
        Registration.objects.filter(state=R.OFFERED, offer_expires_at__lt=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    expired = 0
    for session_id in list(session_ids):
        with transaction.atomic():
            session = Session.objects.select_for_update().select_related("series").get(pk=session_id)
            due = (
                Registration.objects.select_for_update()
                .select_related("person", "session__series")
                .filter(session=session, state=R.OFFERED, offer_expires_at__lt=now)
                .order_by("offer_expires_at", "pk")
            )
            for registration in due:
                _move(registration, R.EXPIRED, actor, "offer not confirmed in time")
                expired += 1
            _promote(session, actor)
    return expired
