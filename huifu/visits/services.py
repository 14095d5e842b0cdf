"""Writing visits: the named operations. Each runs in one transaction and writes one audit entry
of its own (opening or closing the 2-working-day clock adds the tracking app's entry, storing
a letter or an invitation adds the files app's entry).

Every function takes the acting user as ``actor`` and checks the actor's right itself
(``actor=None`` is the system: demo seeding, imports). Illegal state moves raise
``VisitStateError`` whoever asks; bad input raises django ``ValidationError`` naming the field;
nothing is saved then.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huifu.accounts.models import User, UserKind
from huifu.audit.services import audit_create, audit_transition
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.directory.models import Department, DepartmentKind, Organisation, OrganisationKind
from huifu.files.kinds import DOCUMENT_KINDS, EML, IMAGE_KINDS
from huifu.files.models import StoredFile
from huifu.files.services import file_store
from huifu.notifications import kinds as notification_kinds
from huifu.notifications import messages as notification_messages
from huifu.notifications.services import notify
from huifu.tracking.models import DeadlineRule
from huifu.tracking.services import tracked_close, tracked_for, tracked_open

from .ics import visit_calendar
from .models import VISIT_TRANSITIONS, VisitRequest, VisitRound, VisitSource, VisitStatus

VISIT_LETTER_PURPOSE = "visit_letter"
VISIT_INVITATION_PURPOSE = "visit_invitation"
TRACKING_KIND = "visit"
# The reception arrangement is due within this many working days of receipt (official calendar).
ARRANGE_WITHIN_WORKING_DAYS = 2
LETTER_KINDS = (*DOCUMENT_KINDS, *IMAGE_KINDS, EML)
MAIL_TOPIC = "visit"
REQUESTER_ORG_KINDS = OrganisationKind.member_kinds() | OrganisationKind.partner_kinds()
VISIT_TRANSITIONS_ARRANGE = frozenset(s for s, targets in VISIT_TRANSITIONS.items() if VisitStatus.ARRANGED in targets)


class VisitStateError(ValidationError):
    """An operation was asked of a visit in a state that does not allow it."""


def _guard(visit: VisitRequest, target: str) -> None:
    if target not in VISIT_TRANSITIONS.get(visit.status, frozenset()):
        raise VisitStateError(
            _("A visit that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": visit.get_status_display(), "target": VisitStatus(target).label},
        )


def _lock(visit: VisitRequest) -> VisitRequest:
    return VisitRequest.objects.select_related("organisation").select_for_update(of=("self",)).get(pk=visit.pk)


def coordinator_department() -> Department | None:
    """Member Management, who arranges receptions."""
    return (
        Department.objects.filter(kind=DepartmentKind.COORDINATOR, is_active=True).order_by("sort_order", "pk").first()
    )


def _clean_text(value: Any) -> str:
    return str(value or "").strip()


def _clean_request_fields(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = {
        name: _clean_text(fields.get(name))
        for name in (
            "purpose",
            "proposed_dates",
            "visitors",
            "topics",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    }
    if not cleaned["purpose"]:
        errors["purpose"] = _("Say what the visit is for.")
    if not cleaned["proposed_dates"]:
        errors["proposed_dates"] = _("Propose at least one date for the visit.")
    elif len(cleaned["proposed_dates"]) > 200:
        errors["proposed_dates"] = _("Keep the proposed dates under 200 characters.")
    if not cleaned["visitors"]:
        errors["visitors"] = _("List the visitors (name and job title).")
    if not cleaned["contact_name"]:
        errors["contact_name"] = _("Name a contact person.")
    if not cleaned["contact_email"]:
        errors["contact_email"] = _("Give the contact person's e-mail address.")
    else:
        try:
            validate_email(cleaned["contact_email"])
        except ValidationError:
            errors["contact_email"] = _("“%(address)s” is not a valid e-mail address.") % {
                "address": cleaned["contact_email"]
            }
    count = fields.get("visitor_count") or 0
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= 200:
        errors["visitor_count"] = _("The number of visitors must be between 1 and 200.")
    cleaned["visitor_count"] = count
    if errors:
        raise ValidationError(errors)
    return cleaned


def _open_round(*, visit: VisitRequest, received_at: datetime.datetime, reason: str, actor: Any | None) -> VisitRound:
    last = visit.rounds.aggregate(n=Max("number"))["n"] or 0
    round_ = VisitRound.objects.create(visit=visit, number=last + 1, opened_at=received_at, reason=reason)
    title = _("Arrange the visit of %(org)s") % {"org": visit.organisation.name_zh}
    if round_.number > 1:
        title = _("Re-arrange the visit of %(org)s (change requested)") % {"org": visit.organisation.name_zh}
    tracked_open(
        target=round_,
        kind=TRACKING_KIND,
        title=title,
        url=visit.get_absolute_url(),
        received_at=received_at,
        rule=DeadlineRule.WORKING_DAYS,
        amount=ARRANGE_WITHIN_WORKING_DAYS,
        organisation=visit.organisation,
        department=coordinator_department(),
        actor=actor,
        audit=False,
    )
    return round_


def _close_round(*, visit: VisitRequest, actor: Any | None, cancelled: bool = False) -> None:
    round_ = visit.rounds.filter(closed_at__isnull=True).first()
    if round_ is None:
        return
    round_.closed_at = timezone.now()
    round_.save(update_fields=["closed_at"])
    item = tracked_for(round_, TRACKING_KIND)
    if item is not None:
        tracked_close(item=item, actor=actor, cancelled=cancelled, audit=False)


def current_round(visit: VisitRequest) -> VisitRound | None:
    return visit.rounds.order_by("-number").first()


def _create(
    *,
    actor: Any | None,
    organisation: Organisation,
    source: str,
    received_at: datetime.datetime,
    letter: StoredFile | None,
    fields: dict[str, Any],
) -> VisitRequest:
    visit = VisitRequest.objects.create(
        organisation=organisation,
        source=source,
        status=VisitStatus.REQUESTED,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        received_at=received_at,
        letter=letter,
        **fields,
    )
    audit_create(actor=actor, target=visit, message=source)
    _open_round(visit=visit, received_at=received_at, reason="", actor=actor)
    return visit


@transaction.atomic
def visit_request_submit(
    *,
    actor: Any,
    purpose: str,
    proposed_dates: str,
    visitors: str,
    visitor_count: int = 1,
    topics: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> VisitRequest:
    """A member or institution user asks to visit, for their own organisation. The contact
    defaults to the actor. Starts the 2-working-day clock from now."""
    require(actor, "visits.add_visit_request")
    if actor is None or actor.organisation_id is None:
        raise PermissionDenied(_("Only users of an organisation can ask to visit."))
    fields = _clean_request_fields(
        {
            "purpose": purpose,
            "proposed_dates": proposed_dates,
            "visitors": visitors,
            "visitor_count": visitor_count,
            "topics": topics,
            "contact_name": contact_name or actor.full_name or actor.email,
            "contact_email": contact_email or actor.email,
            "contact_phone": contact_phone or actor.phone,
        }
    )
    return _create(
        actor=actor,
        organisation=actor.organisation,
        source=VisitSource.PORTAL,
        received_at=timezone.now(),
        letter=None,
        fields=fields,
    )


@transaction.atomic
def visit_letter_register(
    *,
    actor: Any | None,
    organisation: Organisation,
    letter: Any,
    received_at: datetime.datetime,
    purpose: str,
    proposed_dates: str,
    visitors: str,
    contact_name: str,
    contact_email: str,
    visitor_count: int = 1,
    topics: str = "",
    contact_phone: str = "",
) -> VisitRequest:
    """Staff register a visit letter (拜访函) received by e-mail. ``received_at`` is when the mail
    arrived (the clock starts then, not when it was registered); ``letter`` is the upload (PDF,
    Word, OFD, image or the .eml itself) or an already stored file."""
    require(actor, "visits.register_letter")
    errors: dict[str, str] = {}
    if organisation is None:
        errors["organisation"] = _("Choose the organisation that sent the letter.")
    elif organisation.kind not in REQUESTER_ORG_KINDS:
        errors["organisation"] = _("Visits are received from member companies and institutions only.")
    if received_at is None:
        errors["received_at"] = _("Give the time the letter was received.")
    elif timezone.is_naive(received_at):
        errors["received_at"] = _("Give the time of receipt with its time zone.")
    elif received_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["received_at"] = _("The time of receipt cannot be in the future.")
    if letter is None:
        errors["letter"] = _("Attach the visit letter.")
    try:
        fields = _clean_request_fields(
            {
                "purpose": purpose,
                "proposed_dates": proposed_dates,
                "visitors": visitors,
                "visitor_count": visitor_count,
                "topics": topics,
                "contact_name": contact_name,
                "contact_email": contact_email,
                "contact_phone": contact_phone,
            }
        )
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}  # type: ignore[dict-item]
    if errors:
        raise ValidationError(errors)
    if isinstance(letter, StoredFile):
        stored = letter
    else:
        try:
            stored = file_store(
                upload=letter,
                actor=actor,
                organisation=organisation,
                purpose=VISIT_LETTER_PURPOSE,
                allowed_kinds=LETTER_KINDS,
            )
        except ValidationError as exc:
            raise ValidationError({"letter": exc.messages})
    return _create(
        actor=actor,
        organisation=organisation,
        source=VisitSource.LETTER,
        received_at=received_at,
        letter=stored,
        fields=fields,
    )


def _store_invitation(visit: VisitRequest, content: bytes, actor: Any | None, *, cancel: bool) -> StoredFile:
    """Keep the generated .ics so the outbox can attach it. It is our own output, not an upload,
    so it is stored directly (the upload checks know no calendar kind)."""
    stored = StoredFile(
        id=uuid.uuid4(),
        original_name=f"visit-{visit.pk}-{'cancel' if cancel else visit.arrangement_version}.ics",
        content_type="text/calendar",
        sha256="",
        size=len(content),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=visit.organisation,
        purpose=VISIT_INVITATION_PURPOSE,
        uploaded_at=timezone.now(),
    )
    stored.sha256 = hashlib.sha256(content).hexdigest()
    stored.file.save(stored.id.hex, ContentFile(content), save=False)
    stored.save()
    return stored


def _mail(
    visit: VisitRequest,
    template: str,
    subject: str,
    *,
    actor: Any | None,
    ics: StoredFile | None,
    attendees: Iterable[User],
    message: str = "",
) -> int:
    """E-mail the requester's contact and the exchange attendees; returns the number queued."""
    url = absolute_url(visit.get_absolute_url())
    recipients: list[tuple[str, User | None, Organisation | None]] = [
        (visit.contact_email, visit.requested_by, visit.organisation)
    ]
    seen = {visit.contact_email.lower()}
    for user in attendees:
        if user.email.lower() not in seen:
            seen.add(user.email.lower())
            recipients.append((user.email, user, None))
    for address, user, organisation in recipients:
        language = (user.preferred_language if user else "") or settings.LANGUAGE_CODE
        with translation.override(language):
            body = render_to_string(template, {"visit": visit, "url": url, "name": user.full_name if user else ""})
        # The requester and the attendees also find it in their notification centre.
        notify(
            recipient=user,
            kind=notification_kinds.DECISION,
            message=message,
            params={
                "company": visit.organisation.name_zh,
                "when": f"{timezone.localtime(visit.starts_at):%Y-%m-%d %H:%M}" if visit.starts_at else "",
            },
            url=visit.get_absolute_url(),
            organisation=visit.organisation,
            mail={
                "to": address,
                "subject": subject,
                "body_text": body,
                "organisation": organisation,
                "topic": MAIL_TOPIC,
                "attachments": [ics] if ics is not None else (),
            },
        )
    return len(recipients)


def _clean_arrangement(
    starts_at: datetime.datetime | None, ends_at: datetime.datetime | None, place: str, attendees: list[User]
) -> None:
    errors: dict[str, str] = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the start of the reception.")
    elif timezone.is_naive(starts_at):
        errors["starts_at"] = _("Give the start with its time zone.")
    if ends_at is None:
        errors["ends_at"] = _("Give the end of the reception.")
    elif starts_at is not None and timezone.is_aware(ends_at) and timezone.is_aware(starts_at) and ends_at <= starts_at:
        errors["ends_at"] = _("The reception must end after it starts.")
    if not place:
        errors["place"] = _("Give the place of the reception.")
    if not attendees:
        errors["attendees"] = _("Name at least one exchange attendee.")
    elif any(u.kind != UserKind.STAFF or not u.is_active for u in attendees):
        errors["attendees"] = _("Exchange attendees must be active staff members.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def visit_arrange(
    *,
    actor: Any | None,
    visit: VisitRequest,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    attendees: Iterable[User],
    agenda: str = "",
) -> VisitRequest:
    """Member Management sets (or changes) the reception: time, place, exchange attendees and
    agenda. Stops the current round's clock and e-mails an .ics invitation to the requester's
    contact and every attendee. Re-arranging bumps the invitation's SEQUENCE."""
    visit = _lock(visit)
    require(actor, "visits.arrange_visit", visit)
    _guard(visit, VisitStatus.ARRANGED)
    attendees = list(attendees)
    place = _clean_text(place)
    _clean_arrangement(starts_at, ends_at, place, attendees)
    source = visit.status
    visit.status = VisitStatus.ARRANGED
    visit.starts_at = starts_at
    visit.ends_at = ends_at
    visit.place = place
    visit.agenda = _clean_text(agenda)
    visit.arranged_at = timezone.now()
    visit.arranged_by = actor if getattr(actor, "is_authenticated", False) else None
    visit.arrangement_version += 1
    visit.confirmed_at = None
    visit.save()
    visit.attendees.set(attendees)
    _close_round(visit=visit, actor=actor)
    ics = _store_invitation(visit, visit_calendar(visit, attendees), actor, cancel=False)
    subject = f"[会服] 接待来访安排：{visit.organisation.name_zh} {timezone.localtime(starts_at):%Y-%m-%d %H:%M}"
    sent = _mail(
        visit,
        "visits/email/arranged.txt",
        subject,
        actor=actor,
        ics=ics,
        attendees=attendees,
        message=notification_messages.VISIT_ARRANGED,
    )
    audit_transition(
        actor=actor,
        target=visit,
        source=source,
        target_state=visit.status,
        message=f"v{visit.arrangement_version} {timezone.localtime(starts_at):%Y-%m-%d %H:%M} {place}; mailed {sent}",
    )
    return visit


@transaction.atomic
def visit_confirm(*, actor: Any, visit: VisitRequest) -> VisitRequest:
    """The requester accepts the arrangement."""
    visit = _lock(visit)
    require(actor, "visits.respond_visit", visit)
    _guard(visit, VisitStatus.CONFIRMED)
    source = visit.status
    visit.status = VisitStatus.CONFIRMED
    visit.confirmed_at = timezone.now()
    visit.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit_transition(actor=actor, target=visit, source=source, target_state=visit.status)
    return visit


@transaction.atomic
def visit_request_change(*, actor: Any, visit: VisitRequest, reason: str) -> VisitRequest:
    """The requester asks for a different time, place or agenda. Starts a new 2-working-day
    round for Member Management to re-arrange."""
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what should change.")})
    visit = _lock(visit)
    require(actor, "visits.respond_visit", visit)
    _guard(visit, VisitStatus.CHANGE_REQUESTED)
    source = visit.status
    visit.status = VisitStatus.CHANGE_REQUESTED
    visit.change_reason = reason
    visit.confirmed_at = None
    visit.save(update_fields=["status", "change_reason", "confirmed_at", "updated_at"])
    _open_round(visit=visit, received_at=timezone.now(), reason=reason, actor=actor)
    audit_transition(actor=actor, target=visit, source=source, target_state=visit.status, message=reason)
    return visit


@transaction.atomic
def visit_hold(*, actor: Any | None, visit: VisitRequest, notes: str = "") -> VisitRequest:
    """Member Management records that the reception took place (after its start)."""
    visit = _lock(visit)
    require(actor, "visits.hold_visit", visit)
    _guard(visit, VisitStatus.HELD)
    if visit.starts_at and visit.starts_at > timezone.now():
        raise VisitStateError(_("A visit can be marked as held only once it has started."), code="not_started")
    source = visit.status
    visit.status = VisitStatus.HELD
    visit.held_at = timezone.now()
    visit.held_notes = _clean_text(notes)
    visit.save(update_fields=["status", "held_at", "held_notes", "updated_at"])
    audit_transition(actor=actor, target=visit, source=source, target_state=visit.status)
    return visit


@transaction.atomic
def visit_cancel(*, actor: Any | None, visit: VisitRequest, reason: str) -> VisitRequest:
    """Cancel an open visit (requester or Member Management). An arranged visit's attendees get
    an .ics cancellation."""
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the visit is cancelled.")})
    visit = _lock(visit)
    require(actor, "visits.cancel_visit", visit)
    _guard(visit, VisitStatus.CANCELLED)
    source = visit.status
    was_scheduled = visit.status in VisitStatus.scheduled()
    visit.status = VisitStatus.CANCELLED
    visit.cancelled_at = timezone.now()
    visit.cancel_reason = reason
    visit.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    _close_round(visit=visit, actor=actor, cancelled=True)
    if was_scheduled:
        attendees = list(visit.attendees.all())
        visit.arrangement_version += 1
        visit.save(update_fields=["arrangement_version"])
        ics = _store_invitation(visit, visit_calendar(visit, attendees, cancel=True), actor, cancel=True)
        subject = f"[会服] 接待来访取消：{visit.organisation.name_zh}"
        _mail(
            visit,
            "visits/email/cancelled.txt",
            subject,
            actor=actor,
            ics=ics,
            attendees=attendees,
            message=notification_messages.VISIT_CANCELLED,
        )
    audit_transition(actor=actor, target=visit, source=source, target_state=visit.status, message=reason)
    return visit
