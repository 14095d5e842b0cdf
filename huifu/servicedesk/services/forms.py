"""Submitting feedback forms: portal, .docx and e-mail intake, staff entry.

    feedback_submit(*, organisation, actor, contact_name, phone, email, form_date,
                    suggestions, help_requests, seal_scan=None, channel="portal",
                    received_at=None, idempotency_key=None) -> FeedbackForm
    feedback_create_draft(... same fields ...) -> FeedbackForm       (no serial yet)
    feedback_update_draft(*, form, actor, ...same fields...) -> FeedbackForm
    feedback_confirm_draft(*, form, actor) -> FeedbackForm           (takes the serial)
    feedback_accept_suggestion(*, form, actor, field) -> FeedbackForm (a directory suggestion
                                                                      becomes the draft's value)

Forms read from a document (.docx, e-mail) carry ``member_number`` (the company's own 编号 as
written) and ``intake_report`` (what was read, field by field, and values suggested from the
directory). A draft may lack contact fields the document did not give; it cannot be confirmed
until they are filled (from an accepted suggestion or by correcting the draft).

The serial number is taken inside the submit transaction while the (organisation, year)
counter row is locked: gapless and unique also when two users of one company submit at once.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_transition, audit_update, snapshot
from huifu.core.permissions import require
from huifu.directory.models import Organisation, OrganisationKind
from huifu.tracking import services as tracking

from .. import similarity
from ..models import Channel, FeedbackForm, FeedbackItem, FormStatus, ItemKind, SerialCounter
from .common import FORM_KIND, ITEM_KIND, FeedbackStateError, china_year, deadline_rule, guard

MAX_ITEMS = 50
MAX_ITEM_CHARS = 5000


def _clean_list(values: Any, field: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    cleaned = [str(v).strip() for v in values if str(v or "").strip()]
    if len(cleaned) > MAX_ITEMS:
        raise ValidationError({field: _("At most %(n)s entries.") % {"n": MAX_ITEMS}})
    for value in cleaned:
        if len(value) > MAX_ITEM_CHARS:
            raise ValidationError({field: _("Each entry may be at most %(n)s characters.") % {"n": MAX_ITEM_CHARS}})
    return cleaned


def _clean(
    *,
    organisation: Any,
    contact_name: str,
    phone: str,
    email: str,
    form_date: Any,
    suggestions: Any,
    help_requests: Any,
    channel: str,
    require_items: bool = True,
    allow_missing: bool = False,
) -> dict[str, Any]:
    """``allow_missing``: a draft read from a document may leave contact, phone, e-mail and date
    empty (the document did not give them); what is given must still be valid."""
    errors: dict[str, list[str]] = {}
    if not isinstance(organisation, Organisation):
        errors["organisation"] = [_("Choose the company.")]
    elif organisation.kind not in OrganisationKind.member_kinds():
        errors["organisation"] = [_("Only member companies send Member Voice feedback.")]
    contact_name = (contact_name or "").strip()
    phone = (phone or "").strip()
    email = (email or "").strip()
    if not contact_name and not allow_missing:
        errors["contact_name"] = [_("Enter the contact person.")]
    elif len(contact_name) > 80:
        errors["contact_name"] = [_("At most 80 characters.")]
    if not phone and not allow_missing:
        errors["phone"] = [_("Enter a phone number.")]
    elif len(phone) > 40:
        errors["phone"] = [_("At most 40 characters.")]
    if email or not allow_missing:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if form_date is None and allow_missing:
        pass
    elif not isinstance(form_date, datetime.date) or isinstance(form_date, datetime.datetime):
        errors["form_date"] = [_("Enter the date of the form.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    try:
        suggestions = _clean_list(suggestions, "suggestions")
        help_requests = _clean_list(help_requests, "help_requests")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        suggestions, help_requests = [], []
    if require_items and not errors.get("suggestions") and not suggestions and not help_requests:
        errors["suggestions"] = [_("Enter at least one suggestion or help request.")]
    if errors:
        raise ValidationError(errors)
    return {
        "contact_name": contact_name,
        "phone": phone,
        "email": email,
        "suggestions": suggestions,
        "help_requests": help_requests,
    }


def _counter(organisation: Organisation, year: int) -> SerialCounter:
    """The (organisation, year) counter row, locked; created if missing (a concurrent creation
    loses the race with an IntegrityError in its savepoint and then waits for the winner's lock)."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                counter, _created = SerialCounter.objects.select_for_update().get_or_create(
                    organisation=organisation, year=year
                )
            return counter
        except IntegrityError:
            continue
    return SerialCounter.objects.select_for_update().get(organisation=organisation, year=year)


def _take_serial(form: FeedbackForm) -> None:
    counter = _counter(form.organisation, form.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    form.serial = counter.last


def _items(form: FeedbackForm, suggestions: list[str], help_requests: list[str]) -> None:
    rows = []
    for kind, texts in ((ItemKind.SUGGESTION, suggestions), (ItemKind.HELP_REQUEST, help_requests)):
        for number, text in enumerate(texts, start=1):
            tokens, kws = similarity.tokens_for(text)
            rows.append(
                FeedbackItem(
                    form=form,
                    organisation_id=form.organisation_id,
                    kind=kind,
                    number=number,
                    text=text,
                    tokens=tokens,
                    keywords=kws,
                )
            )
    FeedbackItem.objects.bulk_create(rows)


def _track(form: FeedbackForm, actor: Any) -> None:
    """Open the deadlines of the form and of each item, inside the caller's audited operation."""
    rule, amount = deadline_rule()
    title = _("Member Voice feedback %(company)s No. %(serial)s") % {
        "company": form.organisation.short_name or form.organisation.name_zh,
        "serial": form.serial_display,
    }
    tracking.tracked_open(
        target=form,
        kind=FORM_KIND,
        title=title,
        url=form.get_absolute_url(),
        received_at=form.received_at,
        rule=rule,
        amount=amount,
        organisation=form.organisation,
        actor=actor,
        audit=False,
    )
    for item in form.items.all():
        tracking.tracked_open(
            target=item,
            kind=ITEM_KIND,
            title=f"{title} · {item.get_kind_display()}{item.number}: {item.text[:60]}",
            url=item.get_absolute_url(),
            received_at=form.received_at,
            rule=rule,
            amount=amount,
            organisation=form.organisation,
            actor=actor,
            audit=False,
        )


def _existing(organisation: Organisation, key: str | None) -> FeedbackForm | None:
    if not key:
        return None
    return FeedbackForm.objects.filter(organisation=organisation, idempotency_key=key).first()


class SubmitOutcome(NamedTuple):
    form: FeedbackForm
    created: bool  # False: the idempotency key named a form submitted before, returned unchanged


def feedback_submit(**kwargs: Any) -> FeedbackForm:
    """``feedback_submit_with_outcome`` for callers that only need the form."""
    return feedback_submit_with_outcome(**kwargs).form


def feedback_submit_with_outcome(
    *,
    organisation: Any,
    actor: Any,
    contact_name: str,
    phone: str,
    email: str,
    form_date: datetime.date,
    suggestions: list[str],
    help_requests: list[str],
    seal_scan: Any = None,
    channel: str = Channel.PORTAL,
    received_at: datetime.datetime | None = None,
    idempotency_key: str | None = None,
    source_file: Any = None,
    member_number: str = "",
    intake_report: dict[str, Any] | None = None,
) -> SubmitOutcome:
    """Record a submitted form with its items, its serial number and its reply deadline.

    ``actor`` is a member user of ``organisation`` (portal) or staff (docx/e-mail/staff entry);
    None is the system. The same ``idempotency_key`` for the same organisation returns the form
    created first (a double-click or a retried request creates one form); ``created`` says which,
    also when two such requests race (the company's serial counter lock orders them). ``seal_scan`` is a
    StoredFile (see ``huifu.files.services.file_store`` with purpose ``"seal_scan"``).
    ValidationError names the field; nothing is saved then.
    """
    require(actor, "servicedesk.submit_feedback", organisation)
    data = _clean(
        organisation=organisation,
        contact_name=contact_name,
        phone=phone,
        email=email,
        form_date=form_date,
        suggestions=suggestions,
        help_requests=help_requests,
        channel=channel,
    )
    key = (idempotency_key or "").strip()[:64]
    received_at = received_at or timezone.now()
    year = china_year(received_at)
    with transaction.atomic():
        counter_lock = _counter(organisation, year)  # every submit of this company and year queues here
        del counter_lock
        existing = _existing(organisation, key)
        if existing is not None:
            return SubmitOutcome(existing, False)
        form = FeedbackForm(
            organisation=organisation,
            year=year,
            form_date=form_date,
            contact_name=data["contact_name"],
            phone=data["phone"],
            email=data["email"],
            seal_scan=seal_scan,
            channel=channel,
            status=FormStatus.SUBMITTED,
            received_at=received_at,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            idempotency_key=key,
            source_file=source_file,
            member_number=(member_number or "")[:10],
            intake_report=intake_report or {},
        )
        _take_serial(form)
        form.save()
        _items(form, data["suggestions"], data["help_requests"])
        _track(form, actor)
        audit_create(actor=actor, target=form, message=channel)
        from .notify import notify_received

        notify_received(form)
    return SubmitOutcome(form, True)


def feedback_create_draft(
    *,
    organisation: Any,
    actor: Any,
    contact_name: str,
    phone: str,
    email: str,
    form_date: datetime.date,
    suggestions: list[str],
    help_requests: list[str],
    seal_scan: Any = None,
    channel: str = Channel.EMAIL,
    received_at: datetime.datetime | None = None,
    idempotency_key: str | None = None,
    source_file: Any = None,
    member_number: str = "",
    intake_report: dict[str, Any] | None = None,
) -> FeedbackForm:
    """A draft form (no serial number, no deadline yet) for staff to check and confirm with
    ``feedback_confirm_draft``; used by .docx and e-mail intake. Items and contact fields may be
    empty (only what the document gave is filled in, never a guess); what is given must be
    valid. ``intake_report`` gets ``expected_serial``, the serial the company's next form would
    take now (compared with ``member_number`` for staff). ``received_at`` is kept: the deadline
    counts from it."""
    data = _clean(
        organisation=organisation,
        contact_name=contact_name,
        phone=phone,
        email=email,
        form_date=form_date,
        suggestions=suggestions,
        help_requests=help_requests,
        channel=channel,
        require_items=False,
        allow_missing=True,
    )
    key = (idempotency_key or "").strip()[:64]
    received_at = received_at or timezone.now()
    with transaction.atomic():
        existing = _existing(organisation, key)
        if existing is not None:
            return existing
        year = china_year(received_at)
        last = SerialCounter.objects.filter(organisation=organisation, year=year).values_list("last", flat=True).first()
        report = {**(intake_report or {}), "expected_serial": (last or 0) + 1}
        form = FeedbackForm.objects.create(
            organisation=organisation,
            year=year,
            member_number=(member_number or "")[:10],
            intake_report=report,
            form_date=form_date,
            contact_name=data["contact_name"],
            phone=data["phone"],
            email=data["email"],
            seal_scan=seal_scan,
            channel=channel,
            status=FormStatus.DRAFT,
            received_at=received_at,
            idempotency_key=key,
            source_file=source_file,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _items(form, data["suggestions"], data["help_requests"])
        audit_create(actor=actor, target=form, message=f"draft:{channel}")
    return form


def feedback_update_draft(
    *,
    form: FeedbackForm,
    actor: Any,
    contact_name: str,
    phone: str,
    email: str,
    form_date: datetime.date,
    suggestions: list[str],
    help_requests: list[str],
    seal_scan: Any = None,
) -> FeedbackForm:
    """Correct a draft (staff checking an e-mailed form); replaces its items."""
    require(actor, "servicedesk.manage_feedback")
    data = _clean(
        organisation=form.organisation,
        contact_name=contact_name,
        phone=phone,
        email=email,
        form_date=form_date,
        suggestions=suggestions,
        help_requests=help_requests,
        channel=form.channel,
        require_items=False,
    )
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().get(pk=form.pk)
        if form.status != FormStatus.DRAFT:
            raise FeedbackStateError(_("Only drafts can be edited."), code="not_draft")
        before = snapshot(form, ["contact_name", "phone", "email", "form_date", "seal_scan_id"])
        form.contact_name, form.phone, form.email = data["contact_name"], data["phone"], data["email"]
        form.form_date = form_date
        if seal_scan is not None:
            form.seal_scan = seal_scan
        form.save()
        form.items.all().delete()
        _items(form, data["suggestions"], data["help_requests"])
        audit_update(actor=actor, target=form, before=before, message=_("draft corrected"))
    return form


def _require_contact(form: FeedbackForm) -> None:
    missing = {
        "contact_name": _("Enter the contact person."),
        "phone": _("Enter a phone number."),
        "email": _("Enter a valid e-mail address."),
        "form_date": _("Enter the date of the form."),
    }
    errors = {name: [message] for name, message in missing.items() if not getattr(form, name)}
    if errors:
        raise ValidationError(errors)


SUGGESTIBLE = {"contact": "contact_name", "phone": "phone", "email": "email"}


def feedback_accept_suggestion(*, form: FeedbackForm, actor: Any, field: str) -> FeedbackForm:
    """Staff accept the value suggested from the directory for a field the document did not give
    (``intake_report["suggested"][field]``, field one of contact, phone, email): it becomes the
    draft's value, the report records who accepted it. Only on a draft, only into an empty field."""
    require(actor, "servicedesk.manage_feedback")
    if field not in SUGGESTIBLE:
        raise ValidationError(_("Nothing is suggested for this field."), code="no_suggestion")
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().get(pk=form.pk)
        if form.status != FormStatus.DRAFT:
            raise FeedbackStateError(_("Only drafts can be edited."), code="not_draft")
        report = dict(form.intake_report or {})
        offer = (report.get("suggested") or {}).get(field) or {}
        value = str(offer.get("value") or "") if isinstance(offer, dict) else str(offer)
        attribute = SUGGESTIBLE[field]
        if not value:
            raise ValidationError(_("Nothing is suggested for this field."), code="no_suggestion")
        if getattr(form, attribute):
            raise ValidationError(_("This field is already filled in."), code="already_filled")
        before = snapshot(form, [attribute])
        setattr(form, attribute, value)
        report["accepted"] = {**(report.get("accepted") or {}), field: {"value": value, "by": str(actor)}}
        form.intake_report = report
        form.save(update_fields=[attribute, "intake_report", "updated_at"])
        audit_update(actor=actor, target=form, before=before, message=_("directory suggestion accepted"))
    return form


def feedback_confirm_draft(*, form: FeedbackForm, actor: Any) -> FeedbackForm:
    """Staff confirm a draft: it takes the company's next serial number, its deadline counts
    from the original ``received_at``, and it enters the queue. Needs at least one item."""
    require(actor, "servicedesk.manage_feedback")
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().select_related("organisation").get(pk=form.pk)
        guard(form, FormStatus.SUBMITTED)
        if not form.items.exists():
            raise ValidationError({"suggestions": _("Enter at least one suggestion or help request.")})
        _require_contact(form)
        form.received_at = form.received_at or timezone.now()
        form.year = china_year(form.received_at)
        _take_serial(form)
        form.status = FormStatus.SUBMITTED
        form.save()
        _track(form, actor)
        audit_transition(actor=actor, target=form, source=FormStatus.DRAFT, target_state=FormStatus.SUBMITTED)
        from .notify import notify_received

        notify_received(form)
    return form
