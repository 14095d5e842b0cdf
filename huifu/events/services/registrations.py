"""Registration writes. Every service that can take or free a seat locks the session row first
(``select_for_update``), so two requests never both take the last seat; seats are counted inside
that lock. A person holds at most one active registration per session (database constraint).

Seats (``SeatPlan``). A seat is held by a ``confirmed`` or ``offered`` registration. A session's
capacity may be split into *quotas per audience* (``Session.audience_quotas``, e.g. 600 for
individual investors, 200 for analysts): seats reserved for that audience and for nobody else.
The seats left over (capacity − the sum of the quotas) form the *open pool*, shared by the
audiences without a quota. So every registration draws from exactly one bucket: its audience's
quota, or the open pool; no bucket is ever exceeded, hence neither is the capacity. An unused
quota stays free while others wait (that is what reserving means): staff lower it to release it.
``Session.company_seat_limit`` (optional) caps the seats held by people of one organisation
(people without an organisation are not capped).

* ``registration_create``: the person registers themselves, or a member company's user registers
  a colleague of the same company, as one of the session's audiences (asked when the session has
  more than one; without quotas it may be left blank). Confirmed at once when the person's bucket
  has a free seat and their company is under its limit (and the session needs no approval);
  ``pending`` when it needs approval; otherwise ``waitlisted``, or refused (``session_full``) when
  the session keeps no waiting list.
* ``registration_approve`` / ``registration_refuse``: moderation by staff or the session's
  co-organiser; approval over capacity puts the person on the waiting list.
* ``registration_cancel``: by the person, whoever registered them, or staff; at any time, from
  every active state (leaving the waiting list too).
* Waiting list: one queue per bucket, in arrival order (``created_at``, then id; both are taken
  while the session row is locked — or, on the shared path below, inside a per-session advisory
  lock around the insert — so they agree with the order the sign-ups were accepted).
* Flash crowds (PostgreSQL): once a person's bucket is full, their sign-up takes no seat, so it
  need not wait for the exclusive lock. ``registration_create`` first locks the session row
  ``FOR SHARE``: sign-ups onto the waiting list then run side by side and their commits are
  flushed together, instead of one at a time behind an exclusive lock held through each commit's
  disk flush (2–8 ms on the 2-core machine, which capped sign-ups per second). A share lock still excludes every
  writer that takes or frees a seat (they lock ``FOR UPDATE``), so a cancellation waits for the
  queued sign-ups to commit and then offers its seat to the first of them in line. When the
  share-locked reading finds a seat for the person, the attempt is rolled back and the sign-up
  runs again under the exclusive lock, as before.
  Whenever seats may have freed (a cancellation, an expired offer, capacity, quotas or the
  company limit changed) ``_promote`` walks the waiting list in arrival order and offers a seat
  to each person whose bucket has a free seat and whose organisation is under its limit, until
  no bucket has a free seat: exactly "the next person in line whose quota has a free seat". A
  person skipped for their company's limit keeps their place and is offered the next seat of
  their bucket once a colleague leaves. The seat is ``offered`` (held for them) until the end of
  the series' ``offer_working_days``-th working day (working-day calendar; never after
  registration closes); ``registration_offer_accept`` confirms it.
  ``registration_offers_expire`` (the periodic sweep, ``manage.py events_expire_offers``)
  expires unconfirmed offers and offers the seat to the next. Offers stop when registration
  closes. Every offer and expiry is an audit entry.

A confirmation e-mail with the session's .ics goes out (after commit, through the outbox) when a
registration becomes confirmed. Errors carry stable codes: ``registration_closed``,
``not_published``, ``already_registered``, ``not_a_colleague``, ``illegal_transition``,
``unknown_audience``, ``audience_required``, ``session_full``, ``offer_expired``.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.system import is_system_actor
from huifu.audit.services import audit_create, audit_transition
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.files.models import StoredFile
from huifu.notifications import kinds as notification_kinds
from huifu.notifications import messages as notification_messages
from huifu.notifications.services import notify
from huifu.outbox.rendered import Rendered
from huifu.workdays.services import deadline_at

from ..ics import session_calendar
from ..models import (
    REGISTRATION_TRANSITIONS,
    Audience,
    Registration,
    RegistrationState,
    Series,
    Session,
    SessionState,
)
from ..tickets import TICKET_ATTACHMENT, TICKET_FILE_NAME, ticket_token

EVENT_ICS_PURPOSE = "event_ics"
R = RegistrationState


class RegistrationError(ValidationError):
    """The registration cannot be made or changed (see the code)."""


def _lock_session(session: Session) -> Session:
    """Lock the session row only (not its series: other sessions of the series stay free)."""
    return Session.objects.select_for_update(of=("self",)).select_related("series").get(pk=session.pk)


POOL = ""  # the bucket of the audiences without a quota


def seats_taken(session: Session) -> int:
    return session.registrations.filter(state__in=R.seated()).count()


def bucket_of(session: Session, audience: str) -> str:
    """The bucket a registration of ``audience`` draws its seat from: its quota, or the pool."""
    return audience if audience and audience in (session.audience_quotas or {}) else POOL


def bucket_sizes(session: Session) -> dict[str, int | None]:
    """Seats per bucket (``None``: unlimited, a session without capacity)."""
    quotas = dict(session.audience_quotas or {})
    if session.capacity is None:
        return {POOL: None, **quotas}
    return {POOL: session.capacity - sum(quotas.values()), **quotas}


class SeatPlan:
    """Seats held per bucket and per organisation of one session, read under the session lock
    (two queries, the second only with a company limit) and kept current as seats are taken."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.sizes = bucket_sizes(session)
        self.used: dict[str, int] = dict.fromkeys(self.sizes, 0)
        seated = Registration.objects.filter(session=session, state__in=R.seated())
        for row in seated.values("audience").annotate(n=Count("pk")).order_by():
            bucket = bucket_of(session, row["audience"])
            self.used[bucket] += row["n"]
        self.limit = session.company_seat_limit
        self.per_org: dict[int, int] = {}
        if self.limit is not None:
            rows = seated.filter(organisation__isnull=False).values("organisation_id").annotate(n=Count("pk"))
            self.per_org = {row["organisation_id"]: row["n"] for row in rows.order_by()}

    def bucket_free(self, bucket: str) -> bool:
        size = self.sizes.get(bucket)
        return size is None or self.used.get(bucket, 0) < size

    def org_free(self, organisation_id: int | None) -> bool:
        return self.limit is None or organisation_id is None or self.per_org.get(organisation_id, 0) < self.limit

    def has_seat(self, audience: str, organisation_id: int | None) -> bool:
        return self.bucket_free(bucket_of(self.session, audience)) and self.org_free(organisation_id)

    def take(self, audience: str, organisation_id: int | None) -> None:
        bucket = bucket_of(self.session, audience)
        self.used[bucket] = self.used.get(bucket, 0) + 1
        if organisation_id is not None:
            self.per_org[organisation_id] = self.per_org.get(organisation_id, 0) + 1

    def open_buckets(self) -> list[str]:
        return [bucket for bucket in self.sizes if self.bucket_free(bucket)]

    def full_organisations(self) -> list[int]:
        if self.limit is None:
            return []
        return [org for org, n in self.per_org.items() if n >= self.limit]

    def waiting_filter(self) -> Q | None:
        """Waiting registrations that could take a seat now (``None``: no bucket has one)."""
        buckets = self.open_buckets()
        if not buckets:
            return None
        quota_audiences = [bucket for bucket in self.sizes if bucket != POOL]
        if POOL in buckets and not quota_audiences:
            condition = Q()  # no quotas: everyone draws from the pool
        else:
            condition = Q(audience__in=[bucket for bucket in buckets if bucket != POOL])
            if POOL in buckets:
                condition |= ~Q(audience__in=quota_audiences)
        full = self.full_organisations()
        if full:
            condition &= ~Q(organisation_id__in=full)
        return condition


def clean_seat_rules(
    *, capacity: int | None, audiences: list[str], quotas: Any, company_seat_limit: Any
) -> tuple[dict[str, int], int | None, dict[str, list[str]]]:
    """Validate the quotas and the company limit of a session's form. Returns the clean quotas
    (only audiences with seats), the clean limit, and the errors keyed by field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    if quotas in (None, ""):
        quotas = {}
    if not isinstance(quotas, dict):
        errors["audience_quotas"] = [_("Enter the seats per audience as whole numbers.")]
        quotas = {}
    for audience, seats in quotas.items():
        if seats in (None, ""):
            continue
        label = str(Audience(audience).label) if audience in Audience.values else str(audience)
        if audience not in audiences:
            errors.setdefault("audience_quotas", []).append(
                _("“%(audience)s” is not an audience of this session: it cannot have a quota.") % {"audience": label}
            )
        elif isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
            errors.setdefault("audience_quotas", []).append(
                _("The quota of “%(audience)s” must be a whole number of seats, 0 or more.") % {"audience": label}
            )
        else:
            clean[audience] = seats
    if clean and capacity is None:
        errors.setdefault("audience_quotas", []).append(_("Quotas need a capacity: enter the number of seats."))
    elif capacity is not None and sum(clean.values()) > capacity:
        errors.setdefault("audience_quotas", []).append(
            _("The quotas add up to %(total)d seats, more than the capacity of %(capacity)d.")
            % {"total": sum(clean.values()), "capacity": capacity}
        )
    limit = company_seat_limit
    if limit in (None, ""):
        limit = None
    elif isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        errors["company_seat_limit"] = [_("Enter a number of seats per company of 1 or more, or leave it empty.")]
        limit = None
    return clean, limit, errors


def check_seats_fit(session: Session) -> None:
    """After a change of capacity, quotas or audiences (``session`` holds the new values, its row
    is locked): every bucket must still hold the seats already taken in it."""
    plan = SeatPlan(session)
    errors: dict[str, list[str]] = {}
    for bucket, size in plan.sizes.items():
        taken = plan.used.get(bucket, 0)
        if size is None or taken <= size:
            continue
        if bucket == POOL:
            if not session.audience_quotas:
                continue  # the capacity check of session_update says it
            errors.setdefault("audience_quotas", []).append(
                _(
                    "%(taken)d seats are taken by audiences without a quota: capacity minus the quotas "
                    "(%(size)d) cannot be lower."
                )
                % {"taken": taken, "size": size}
            )
        else:
            errors.setdefault("audience_quotas", []).append(
                _("%(taken)d seats of “%(audience)s” are taken: its quota cannot be lower.")
                % {"taken": taken, "audience": Audience(bucket).label}
            )
    if errors:
        raise ValidationError(errors, code="quota_below_seats")


# (session id, its updated_at) -> id of the stored .ics, per process, filled after commit: a
# confirmation under the session lock then neither renders the calendar nor reads the file table.
_ICS_FILES: dict[tuple[int, str], Any] = {}


def _store_ics(session: Session) -> Any:
    """The session's .ics for the confirmation mails (a StoredFile or its id): our own output, the
    same for everybody (the public calendar of this version of the session), so it is stored once
    per version and the mails share it (the outbox only reads attachments)."""
    key = (session.pk, session.updated_at.isoformat())
    if key in _ICS_FILES:
        return _ICS_FILES[key]
    content = session_calendar(session, settings.SITE_URL.rstrip("/"), stamp=session.updated_at)
    digest = hashlib.sha256(content).hexdigest()
    stored = StoredFile.objects.filter(sha256=digest, purpose=EVENT_ICS_PURPOSE).order_by("uploaded_at").first()
    if stored is not None:
        transaction.on_commit(lambda: _remember_ics(key, stored.pk))
        return stored
    stored = StoredFile(
        id=uuid.uuid4(),
        original_name=f"session-{session.pk}.ics",
        content_type="text/calendar",
        sha256=digest,
        size=len(content),
        uploaded_by=None,
        organisation=None,
        purpose=EVENT_ICS_PURPOSE,
        uploaded_at=timezone.now(),
    )
    stored.file.save(stored.id.hex, ContentFile(content), save=False)
    stored.save()
    transaction.on_commit(lambda: _remember_ics(key, stored.pk))
    return stored


def _remember_ics(key: tuple[int, str], file_id: Any) -> None:
    if len(_ICS_FILES) > 256:
        _ICS_FILES.clear()
    _ICS_FILES[key] = file_id


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
    my_registrations = absolute_url(reverse("events:my_registrations"))
    lines += [
        "",
        f"入场二维码见附件（{TICKET_FILE_NAME}），也可在会服“我的报名”中出示：{my_registrations}",
        f"票证号（扫码失败时由签到台输入）：{ticket_token(registration)}",
        "日历文件（.ics）见附件。如不能参加，请登录会服取消报名。",
    ]
    notify(
        recipient=person,
        kind=notification_kinds.REGISTRATION,
        message=notification_messages.REGISTRATION_CONFIRMED,
        params={"title": session.title, "date": f"{session.date:%Y-%m-%d}"},
        url=reverse("events:my_registrations"),
        organisation=registration.organisation,
        mail={
            "to": person.email,
            "subject": f"[会服·投资者教育] 报名确认：{session.title}",
            "body_text": "\n".join(lines),
            "organisation": registration.organisation,
            "topic": "events",
            # The QR PNG is drawn by the outbox worker at sending, not under the session lock.
            "attachments": [_store_ics(session), Rendered(TICKET_ATTACHMENT, str(registration.pk))],
        },
    )


def _offer_mail(registration: Registration) -> None:
    session = registration.session
    person = registration.person
    if not person.email:
        return
    deadline = timezone.localtime(registration.offer_expires_at)
    notify(
        recipient=person,
        kind=notification_kinds.REGISTRATION,
        message=notification_messages.WAITING_LIST_OFFER,
        params={"title": session.title, "deadline": f"{deadline:%Y-%m-%d %H:%M}"},
        url=reverse("events:registration_detail", args=[registration.pk]),  # the stepper with 确认座位
        organisation=registration.organisation,
        mail={
            "to": person.email,
            "subject": f"[会服·投资者教育] 候补名额：{session.title}",
            "body_text": "\n".join(
                [
                    f"{person.full_name or person.email}，您好：",
                    "",
                    f"「{session.title}」（{session.starts_at:%Y-%m-%d %H:%M}）有名额空出，已为您保留。",
                    f"请在 {deadline:%Y-%m-%d %H:%M} 前登录会服确认，逾期名额将顺延给下一位候补人员。",
                ]
            ),
            "organisation": registration.organisation,
            "topic": "events",
        },
    )


def _offer_deadline(session: Session, now: Any) -> Any:
    series = session.series if isinstance(session.series, Series) else Series.objects.get(pk=session.series_id)
    due = deadline_at(now, max(series.offer_working_days, 0)).at
    return min(due, session.closes_at)


def _promote(session: Session, actor: Any, plan: SeatPlan | None = None) -> int:
    """Offer free seats to the waiting list: in arrival order, each person whose bucket has a free
    seat and whose organisation is under its limit. The caller holds the session lock. Returns
    the number of offers made. No offers once registration has closed."""
    now = timezone.now()
    if session.state != SessionState.PUBLISHED or now >= session.closes_at:
        return 0
    plan = plan or SeatPlan(session)
    made = 0
    while (condition := plan.waiting_filter()) is not None:
        # The head of the line first (an index step on events_reg_session_line), then that one
        # row with its person: joining first would read and sort the whole waiting list. No one
        # else can change the line in between: every change of it holds the session lock.
        head = (
            Registration.objects.filter(condition, session=session, state=R.WAITLISTED)
            .order_by("created_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if head is None:
            break
        nxt = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("person", "session__series")
            .get(pk=head)
        )
        nxt.offer_expires_at = _offer_deadline(session, now)
        nxt.save(update_fields=["offer_expires_at"])
        _move(nxt, R.OFFERED, actor, "offered from the waiting list")
        _offer_mail(nxt)
        plan.take(nxt.audience, nxt.organisation_id)
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


def _clean_audience(session: Session, audience: Any) -> str:
    """The audience a person registers as: one of the session's; may stay blank only when the
    session has no quotas (older callers); the only audience when there is one."""
    audience = "" if audience is None else audience
    if not isinstance(audience, str):
        audience = str(audience)
    audience = audience.strip()
    offered = [a for a in session.audiences if a in Audience.values]
    if not audience:
        if len(offered) == 1:
            return offered[0]
        if session.audience_quotas:
            raise RegistrationError(
                _("Choose whom you register as: %(choices)s.")
                % {"choices": "、".join(str(Audience(a).label) for a in offered)},
                code="audience_required",
            )
        return ""
    if audience not in offered:
        raise RegistrationError(
            _("“%(audience)s” is not an audience of this session; choose one of: %(choices)s.")
            % {"audience": audience[:50], "choices": "、".join(str(Audience(a).label) for a in offered)},
            code="unknown_audience",
        )
    return audience


class _SeatLockNeeded(Exception):
    """The share-locked attempt found a seat for the person: take it under the exclusive lock."""


# pg_advisory_lock(namespace, session id): orders the inserts of the share-locked path.
WAITLIST_ADVISORY_NAMESPACE = 7311


def registration_create(
    *, actor: Any, session: Session, person: Any = None, audience: str | None = None
) -> Registration:
    """Register ``person`` (default: the actor) as ``audience`` for a published session before it
    closes: confirmed, pending approval, wait-listed, or refused when full without a waiting list."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        try:
            return _registration_create(actor=actor, session=session, person=person, audience=audience, shared=True)
        except _SeatLockNeeded:
            pass
    return _registration_create(actor=actor, session=session, person=person, audience=audience, shared=False)


def _lock_session_shared(session: Session) -> Session:
    """The session row, read and share-locked in one statement (its series is read only if used)."""
    table = Session._meta.db_table
    return Session.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR SHARE", [session.pk])[0]  # noqa: S608


def _create_in_line(*, session: Session, **fields: Any) -> Registration:
    """Insert a registration on the share-locked path: one insert at a time per session (an
    advisory lock held for the statement, not the commit), so ``created_at`` and id agree.
    The insert has its own savepoint: a duplicate (unique constraint) must leave the transaction
    able to release the lock — a session-level lock left behind would outlive the request on a
    pooled connection and stop every later sign-up of the session."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [WAITLIST_ADVISORY_NAMESPACE, session.pk])
        try:
            with transaction.atomic():
                return Registration.objects.create(session=session, **fields)  # created_at: now, in the lock
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [WAITLIST_ADVISORY_NAMESPACE, session.pk])


@transaction.atomic
def _registration_create(
    *, actor: Any, session: Session, person: Any, audience: str | None, shared: bool
) -> Registration:
    person = person if person is not None else actor
    if actor is not None and not is_system_actor(actor) and person.pk != getattr(actor, "pk", None):
        require(actor, "events.register_colleague")
        if person.organisation_id is None or person.organisation_id != actor.organisation_id or not person.is_active:
            raise PermissionDenied(_("You may register colleagues of your own company only."))
    else:
        require(actor, "events.register")
    # Checked before the exclusive lock, so that a duplicate does not queue for it (the partial
    # unique constraint decides a race between two requests of the same person, and is the only
    # check on the share-locked path, which queues for nothing).
    if not shared and Registration.objects.filter(session=session, person=person, state__in=R.active()).exists():
        raise RegistrationError(
            _("%(name)s is already registered for this session.") % {"name": person}, code="already_registered"
        )
    # Everything from here to the commit holds the session lock: few round trips (lock, seat
    # counts, insert, audit entry; the mail of a confirmed seat reuses the stored .ics).
    session = _lock_session_shared(session) if shared else _lock_session(session)
    if session.state != SessionState.PUBLISHED:
        raise RegistrationError(_("This session is not open for registration."), code="not_published")
    if timezone.now() >= session.closes_at:
        raise RegistrationError(_("Registration for this session has closed."), code="registration_closed")
    audience = _clean_audience(session, audience)
    if session.requires_approval:
        state = R.PENDING
    else:
        plan = SeatPlan(session)
        if shared and plan.has_seat(audience, person.organisation_id):
            raise _SeatLockNeeded
        if plan.has_seat(audience, person.organisation_id):
            _promote(session, actor, plan)  # people already waiting for this seat come first
        if plan.has_seat(audience, person.organisation_id):
            state = R.CONFIRMED
        elif session.waiting_list:
            state = R.WAITLISTED
        else:
            raise RegistrationError(_full_message(session, plan, audience, person), code="session_full")
    try:
        # No savepoint: a unique-constraint failure ends the whole transaction, nothing is kept.
        registration = (_create_in_line if shared else _create)(
            session=session,
            person=person,
            registered_by=actor if getattr(actor, "pk", None) and not is_system_actor(actor) else person,
            organisation_id=person.organisation_id,
            audience=audience,
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


def _create(*, session: Session, **fields: Any) -> Registration:
    return Registration.objects.create(session=session, **fields)


def _full_message(session: Session, plan: SeatPlan, audience: str, person: Any) -> str:
    if not plan.org_free(person.organisation_id):
        return _(
            "Your company already holds the %(n)d seats allowed per company, and this session keeps no waiting list."
        ) % {"n": plan.limit}
    if bucket_of(session, audience) != POOL:
        return _("The seats for “%(audience)s” are taken, and this session keeps no waiting list.") % {
            "audience": Audience(audience).label
        }
    return _("The session is full, and it keeps no waiting list.")


def _lock(registration: Registration) -> tuple[Session, Registration]:
    session = _lock_session(registration.session)
    return session, Registration.objects.select_for_update(of=("self",)).select_related(
        "person", "session__series"
    ).get(pk=registration.pk)


@transaction.atomic
def registration_approve(*, actor: Any, registration: Registration) -> Registration:
    """Confirm a pending registration; when the session is full it goes to the waiting list."""
    session, registration = _lock(registration)
    require(actor, "events.moderate_registration", session)
    if registration.state != R.PENDING:
        raise RegistrationError(_("Only a registration awaiting approval can be approved."), code="illegal_transition")
    plan = SeatPlan(session)
    if plan.has_seat(registration.audience, registration.organisation_id):
        return _move(registration, R.CONFIRMED, actor)
    if not session.waiting_list:
        raise RegistrationError(
            _full_message(session, plan, registration.audience, registration.person), code="session_full"
        )
    return _move(registration, R.WAITLISTED, actor)


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
    """Offer seats freed by a change of capacity, quotas or company limit. The caller holds the
    session lock and has checked the change with ``check_seats_fit`` (session_update)."""
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
            session = _lock_session(Session(pk=session_id))
            due = (
                Registration.objects.select_for_update(of=("self",))
                .select_related("person", "session__series")
                .filter(session=session, state=R.OFFERED, offer_expires_at__lt=now)
                .order_by("offer_expires_at", "pk")
            )
            for registration in due:
                _move(registration, R.EXPIRED, actor, "offer not confirmed in time")
                expired += 1
            _promote(session, actor)
    return expired
