"""Intake: the Word form uploaded by members or staff, and messages from the Market Service
Center mailbox. Each operation is one transaction. Imports, resolutions and dismissals write one audit entry of
their own; a form read from a .docx is recorded by the service desk's own submit/draft entry (plus
the files app's entry for the stored file).

    docx_submit_member(*, actor, upload)            -> (FeedbackForm | None, ParsedForm)
    docx_draft_staff(*, actor, upload, organisation) -> (FeedbackForm | None, ParsedForm)
    intake_import(*, raw, source)                    -> (IntakeMessage, created)  (as the system actor)
    intake_resolve(*, actor, message, organisation)  -> IntakeMessage
    intake_ignore(*, actor, message, reason)         -> IntakeMessage
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import uuid
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.system import system_actor
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record
from huifu.core.permissions import require
from huifu.directory.models import Organisation, OrganisationKind
from huifu.files.kinds import DEFAULT_KINDS, DOCX
from huifu.files.models import StoredFile
from huifu.files.services import _track_until_commit, file_store
from huifu.servicedesk.models import Channel, FeedbackForm
from huifu.servicedesk.services import feedback_create_draft, feedback_submit

from . import matching
from .mailparse import ParsedMail, parse_mail
from .models import IntakeAttachment, IntakeMessage, IntakeStatus, MatchMethod
from .wordparse import FormReadError, ParsedForm, parse_form, parse_text

logger = logging.getLogger(__name__)

DOCX_PURPOSE = "feedback_docx"
RAW_PURPOSE = "intake_raw"
ATTACHMENT_PURPOSE = "intake_attachment"
# Problems that stop a member's upload: without these the form cannot be recorded.
BLOCKING_FIELDS = ("company", "contact", "phone", "email", "form_date", "suggestions")


def _read_upload(upload: Any) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content


def _check_docx_upload(upload: Any) -> ParsedForm:
    """Parse an uploaded form before anything is stored; ValidationError on ``file`` for a file
    that is not a .docx (with the reason: old .doc, other zip, damaged, wrong type)."""
    if upload is None:
        raise ValidationError({"file": _("Choose the filled-in form (.docx) to upload.")})
    try:
        return parse_form(_read_upload(upload))
    except FormReadError as exc:
        raise ValidationError({"file": str(exc)}) from exc


def _store_docx(upload: Any, actor: Any, organisation: Organisation | None) -> StoredFile:
    try:
        return file_store(
            upload=upload, actor=actor, organisation=organisation, purpose=DOCX_PURPOSE, allowed_kinds=(DOCX,)
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def _report(parsed: ParsedForm, fields: tuple[str, ...]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for problem in parsed.problems:
        if problem.field in fields:
            errors.setdefault(problem.field, []).append(problem.message)
    return errors


class DocxResult(NamedTuple):
    """What an upload of the Word form gave: the feedback form (new, or the one this very document
    already became), what was read, and whether the document had been received before."""

    form: Any
    parsed: ParsedForm
    already_received: bool = False


def _already_received(content: bytes, organisation: Organisation | None) -> Any | None:
    """The feedback form this exact document already became (same bytes), if any."""
    digest = hashlib.sha256(content).hexdigest()
    forms = FeedbackForm.objects.filter(source_file__sha256=digest, channel=Channel.DOCX)
    if organisation is not None:
        forms = forms.filter(organisation=organisation)
    return forms.order_by("pk").first()


class DocxRefused(ValidationError):
    """A member's form that cannot be accepted; ``parsed`` holds the per-field report to show."""

    def __init__(self, errors: dict[str, list[str]], parsed: ParsedForm) -> None:
        super().__init__(errors)
        self.parsed = parsed


def _docx_report(parsed: ParsedForm, suggested: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"source": "docx", "fields": parsed.report(), "suggested": suggested or {}}


@transaction.atomic
def docx_submit_member(*, actor: Any, upload: Any, idempotency_key: str | None = None) -> DocxResult:
    """A member user uploads their filled form: it becomes a submitted feedback form of their
    own company (channel "docx"), with the company's own 编号 kept as ``member_number`` and the
    per-field report as ``intake_report``. A form naming another company, or one that could not
    be read completely (a field missing or given twice differently), is refused with the list of
    problems (ValidationError keyed by field); nothing is saved then. The same document uploaded
    again returns the form it already became (``already_received``)."""
    require(actor, "intake.upload_docx")
    organisation = getattr(actor, "organisation", None)
    if organisation is None or organisation.kind not in OrganisationKind.member_kinds():
        raise PermissionDenied(_("Only users of a member company can send Member Voice feedback."))
    parsed = _check_docx_upload(upload)
    previous = _already_received(_read_upload(upload), organisation)
    if previous is not None:
        return DocxResult(previous, parsed, True)
    errors = _report(parsed, BLOCKING_FIELDS)
    if parsed.company and not matching.same_company(parsed.company, organisation):
        errors.setdefault("company", []).append(
            _("The form names “%(named)s”, but you can only send forms for %(own)s.")
            % {"named": parsed.company, "own": organisation.name_zh}
        )
    if errors:
        raise DocxRefused(errors, parsed)
    stored = _store_docx(upload, actor, organisation)
    form = feedback_submit(
        organisation=organisation,
        actor=actor,
        contact_name=parsed.contact,
        phone=parsed.phone,
        email=parsed.email,
        form_date=parsed.form_date,
        suggestions=parsed.suggestions,
        help_requests=parsed.help_requests,
        channel=Channel.DOCX,
        idempotency_key=idempotency_key or f"docx:{stored.sha256}"[:64],
        source_file=stored,
        member_number=parsed.serial,
        intake_report=_docx_report(parsed),
    )
    return DocxResult(form, parsed, False)


@transaction.atomic
def docx_draft_staff(*, actor: Any, upload: Any, organisation: Organisation | None = None) -> DocxResult:
    """Staff upload a form received on paper or by other means: it becomes a DRAFT feedback form
    for review (confirm it in the service desk). The company is the one chosen, else the one
    named on the form. Only what the document gives is filled in; a field it lacks stays empty,
    with the directory's value offered as a suggestion staff may accept (``intake_report``).
    Refused (ValidationError) only when no company can be determined. The same document
    uploaded again returns the form it already became (``already_received``)."""
    require(actor, "intake.review_docx")
    parsed = _check_docx_upload(upload)
    named = matching.company_lookup(parsed.company) if parsed.company else None
    if organisation is None:
        organisation = named
    if organisation is None:
        message = (
            _("The company on the form, “%(named)s”, is not in the directory. Choose the company.")
            % {"named": parsed.company}
            if parsed.company
            else _("The form names no company. Choose the company.")
        )
        raise ValidationError({"organisation": message})
    if organisation.kind not in OrganisationKind.member_kinds():
        raise ValidationError({"organisation": _("Only member companies send Member Voice feedback.")})
    previous = _already_received(_read_upload(upload), None)
    if previous is not None:
        return DocxResult(previous, parsed, True)
    stored = _store_docx(upload, actor, organisation)
    form = feedback_create_draft(
        **_draft_fields(_extracted(parsed), organisation, actor),
        channel=Channel.DOCX,
        idempotency_key=f"docx:{stored.sha256}"[:64],
        source_file=stored,
    )
    if named is not None and named.pk != organisation.pk:
        parsed.add(
            "company",
            _("The form names “%(named)s”; it was filed for %(chosen)s as you chose.")
            % {"named": parsed.company, "chosen": organisation.name_zh},
        )
    return DocxResult(form, parsed, False)


def _valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _suggested(data: dict[str, Any], organisation: Organisation, sender: str = "", sender_name: str = "") -> dict:
    """Values offered for fields the document did not give: the e-mail's sender, else the
    directory. Offered only; staff accept them (``feedback_accept_suggestion``). Never the
    exchange's own mailbox."""
    offers: dict[str, dict[str, str]] = {}
    if not data.get("email"):
        if sender and _valid_email(sender):
            offers["email"] = {"value": sender, "source": "sender"}
        elif organisation.email and _valid_email(organisation.email):
            offers["email"] = {"value": organisation.email, "source": "directory"}
    if not data.get("contact") and sender_name:
        offers["contact"] = {"value": sender_name[:80], "source": "sender"}
    if not data.get("phone") and organisation.phone:
        offers["phone"] = {"value": organisation.phone[:40], "source": "directory"}
    return offers


def _draft_fields(
    data: dict[str, Any],
    organisation: Organisation,
    actor: Any,
    sender: str = "",
    sender_name: str = "",
    received_at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The draft's fields: exactly what was read (``_extracted``), nothing filled in from
    elsewhere. A missing date stays empty (never today's date)."""
    form_date = data.get("form_date")
    try:
        form_date = datetime.date.fromisoformat(form_date) if isinstance(form_date, str) and form_date else None
    except ValueError:
        form_date = None
    email = data.get("email") or ""
    return {
        "organisation": organisation,
        "actor": actor,
        "contact_name": (data.get("contact") or "")[:80],
        "phone": (data.get("phone") or "")[:40],
        "email": email if _valid_email(email) else "",
        "form_date": form_date,
        "suggestions": data.get("suggestions") or [],
        "help_requests": data.get("help_requests") or [],
        "received_at": received_at,
        "member_number": data.get("serial") or "",
        "intake_report": {
            "source": data.get("source") or "docx",
            "fields": data.get("report") or [],
            "suggested": _suggested(data, organisation, sender, sender_name),
        },
    }


def _extracted(parsed: ParsedForm, source: str = "docx") -> dict[str, Any]:
    return {
        "source": source,
        "company": parsed.company,
        "contact": parsed.contact,
        "phone": parsed.phone,
        "email": parsed.email,
        "form_date": parsed.form_date.isoformat() if parsed.form_date else "",
        "serial": parsed.serial,
        "suggestions": parsed.suggestions,
        "help_requests": parsed.help_requests,
        "report": parsed.report(),
    }


# --- E-mail intake ---------------------------------------------------------------------------


def _store_raw(raw: bytes, name: str) -> StoredFile:
    """Keep the message exactly as received. It is not a user upload (the upload checks would
    refuse odd but genuine mail), so it is stored directly."""
    stored = StoredFile(
        id=uuid.uuid4(),
        original_name=name[:255],
        content_type="message/rfc822",
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        organisation=None,
        purpose=RAW_PURPOSE,
        uploaded_at=timezone.now(),
    )
    stored.file.save(stored.id.hex, ContentFile(raw), save=False)
    _track_until_commit(stored.file.name)  # a rolled-back import leaves no orphan blob
    stored.save()
    return stored


def _received_at(mail: ParsedMail) -> datetime.datetime:
    now = timezone.now()
    if mail.sent_at is not None and now - datetime.timedelta(days=60) <= mail.sent_at <= now + datetime.timedelta(
        minutes=10
    ):
        return min(mail.sent_at, now)
    return now


def _keep_attachments(message: IntakeMessage, mail: ParsedMail) -> tuple[ParsedForm | None, list[str]]:
    form: ParsedForm | None = None
    form_name = ""
    problems: list[str] = []
    for attachment in mail.attachments:
        row = IntakeAttachment(
            message=message,
            filename=attachment.filename[:255],
            content_type=attachment.content_type[:100],
            size=len(attachment.payload),
        )
        try:
            with transaction.atomic():
                row.file = file_store(
                    upload=ContentFile(attachment.payload, name=attachment.filename),
                    actor=system_actor(),
                    organisation=None,
                    purpose=ATTACHMENT_PURPOSE,
                    allowed_kinds=DEFAULT_KINDS,
                )
        except ValidationError as exc:
            row.problem = " ".join(exc.messages)[:500]
            problems.append(
                _("Attachment “%(name)s” was not stored separately (it stays in the raw message): %(why)s")
                % {"name": attachment.filename, "why": row.problem}
            )
        if row.file is not None and row.file.content_type == DOCX.content_type and form is not None:
            # Only one form per mail is read; a second Word document is never dropped silently.
            problems.append(
                _(
                    "Attachment “%(name)s” is another Word document; only “%(form)s” was read as the form. "
                    "Check it before confirming."
                )
                % {"name": attachment.filename, "form": form_name}
            )
        elif row.file is not None and row.file.content_type == DOCX.content_type:
            try:
                form = parse_form(attachment.payload)
                form_name = attachment.filename
                row.is_form = True
            except FormReadError as exc:
                row.problem = str(exc)[:500]
                problems.append(
                    _("Attachment “%(name)s” could not be read as the form: %(why)s")
                    % {"name": attachment.filename, "why": str(exc)}
                )
        row.save()
    return form, problems


def _create_draft(message: IntakeMessage, organisation: Organisation, actor: Any | None) -> Any:
    fields = _draft_fields(
        message.extracted,
        organisation,
        actor,
        sender=message.from_address,
        sender_name=message.from_name,
        received_at=message.received_at,
    )
    source = next((a.file for a in message.attachments.all() if a.is_form and a.file_id), None) or message.raw
    key = "mail:" + hashlib.sha256(message.message_key.encode()).hexdigest()
    return feedback_create_draft(**fields, channel=Channel.EMAIL, idempotency_key=key[:64], source_file=source)


def _own_files(message: IntakeMessage, organisation: Organisation) -> None:
    """The company's own message and attachments become its files (its users may then open them
    from the feedback form)."""
    ids = [message.raw_id, *[a.file_id for a in message.attachments.all() if a.file_id]]
    StoredFile.objects.filter(pk__in=ids, organisation__isnull=True).update(organisation=organisation)


@transaction.atomic
def intake_import(*, raw: bytes, source: str, name: str = "") -> tuple[IntakeMessage, bool]:
    """Import one raw message. Returns (message, created); a message already imported (same
    Message-ID, else same bytes) returns the first import and changes nothing.

    Matched (sender's address via directory contacts or users, else the company named in the
    conventional subject, else in the attached form) → a DRAFT feedback form for that company,
    filled from the attached .docx or the body. Otherwise → the triage queue (status new).
    Reading the mailbox is work done by the system: drafts and the audit entry name the system actor."""
    actor = system_actor()
    mail = parse_mail(raw)
    existing = IntakeMessage.objects.filter(message_key=mail.key).first()
    if existing is not None:
        return existing, False
    stored = _store_raw(raw, name or f"{mail.key[-40:].strip('<>') or 'message'}.eml")
    follows, subject_name = matching.subject_company(mail.subject)
    message = IntakeMessage.objects.create(
        message_key=mail.key,
        message_id=mail.message_id,
        source=source[:16],
        subject=mail.subject,
        from_address=mail.from_address,
        from_name=mail.from_name,
        sent_at=mail.sent_at,
        received_at=_received_at(mail),
        headers=[[k, v[:2000]] for k, v in mail.headers],
        body_text=mail.body_text[:100_000],
        raw=stored,
        follows_convention=follows,
        status=IntakeStatus.NEW,
    )
    form, problems = _keep_attachments(message, mail)
    if form is not None:
        extracted = _extracted(form, source="docx")
        problems.extend(p.message for p in form.problems)
        named = form.company
    else:
        # The form typed or pasted into the body (webmail: an HTML table), without quotes and signature.
        body_form, found = parse_text(mail.form_text)
        extracted = _extracted(body_form, source="email")
        named = body_form.company if found else ""
        if found:
            problems.extend(p.message for p in body_form.problems)
    message.extracted = extracted

    organisation, method = matching.sender_company(mail.from_address)
    if organisation is None and subject_name:
        organisation = matching.company_lookup(subject_name)
        method = MatchMethod.SUBJECT if organisation else ""
    if organisation is None and form is not None and form.company:
        organisation = matching.company_lookup(form.company)
        method = MatchMethod.DOCX if organisation else ""
    if not follows:
        problems.append(_("The subject does not follow the convention “xx期货公司“一站通”会员之声反馈”."))
    # The company the form itself names (attached, or typed into the body) must be the one the
    # mail is filed for.
    if organisation is not None and named and not matching.same_company(named, organisation):
        problems.append(
            _("The sender belongs to %(sender)s but the attached form names “%(named)s”; check before filing.")
            % {"sender": organisation.name_zh, "named": named}
        )
        organisation = None
    if organisation is None:
        problems.append(_("The sender could not be matched to a member company."))
    elif follows or form is not None:
        try:
            with transaction.atomic():
                draft = _create_draft(message, organisation, actor)
        except ValidationError as exc:
            problems.append(_("A draft form could not be created: %(why)s") % {"why": " ".join(exc.messages)})
        else:
            message.status = IntakeStatus.MATCHED
            message.organisation = organisation
            message.match_method = method
            message.feedback_form = draft
            _own_files(message, organisation)
    else:
        message.organisation = organisation  # a known sender, but not a feedback message: triage decides
        message.match_method = method
    message.problems = problems
    message.save()
    audit_create(actor=actor, target=message, message=f"{source}: {message.status}")
    return message, True


UNREADABLE_KEY_PREFIX = "unreadable:"


def _salvaged_subject(raw: bytes) -> str:
    import email
    from email import policy

    try:
        return str(email.message_from_bytes(raw, policy=policy.default).get("Subject", ""))[:500]
    except Exception:  # noqa: BLE001 - the message is unreadable; the subject is a courtesy
        return ""


@transaction.atomic
def intake_record_unreadable(*, raw: bytes, source: str, name: str = "", reason: str) -> tuple[IntakeMessage, bool]:
    """Keep a message that ``intake_import`` could not import in the triage queue, with the
    reason, so staff see it and the mailbox can mark it processed. Keyed by the hash of the raw
    bytes: the same message recorded again returns the first record and stores nothing."""
    key = UNREADABLE_KEY_PREFIX + hashlib.sha256(raw).hexdigest()
    existing = IntakeMessage.objects.filter(message_key=key).first()
    if existing is not None:
        return existing, False
    stored = _store_raw(raw, name or "unreadable.eml")
    message = IntakeMessage.objects.create(
        message_key=key,
        source=source[:16],
        subject=_salvaged_subject(raw),
        received_at=timezone.now(),
        raw=stored,
        status=IntakeStatus.NEW,
        problems=[_("The message could not be imported automatically: %(why)s") % {"why": reason[:500]}],
    )
    audit_create(actor=system_actor(), target=message, message=f"{source}: unreadable")
    return message, True


def _lock(message: IntakeMessage) -> IntakeMessage:
    return IntakeMessage.objects.select_for_update().get(pk=message.pk)


@transaction.atomic
def intake_resolve(*, actor: Any, message: IntakeMessage, organisation: Organisation) -> IntakeMessage:
    """Staff file a message from the triage queue under ``organisation``: a draft form is created
    (with what was read from the attached form or the body)."""
    require(actor, "intake.resolve_intake")
    message = _lock(message)
    if message.status != IntakeStatus.NEW:
        raise ValidationError(_("This message has already been dealt with."), code="not_new")
    if organisation is None or organisation.kind not in OrganisationKind.member_kinds():
        raise ValidationError({"organisation": _("Choose a member company.")})
    draft = _create_draft(message, organisation, actor)
    message.status = IntakeStatus.TRIAGED
    message.organisation = organisation
    message.match_method = MatchMethod.STAFF
    message.feedback_form = draft
    message.resolved_by = actor
    message.resolved_at = timezone.now()
    message.save()
    _own_files(message, organisation)
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=message,
        changes={"status": [IntakeStatus.NEW, IntakeStatus.TRIAGED], "organisation": [None, organisation.name_zh]},
    )
    return message


@transaction.atomic
def intake_ignore(*, actor: Any, message: IntakeMessage, reason: str) -> IntakeMessage:
    """Staff mark a message in the triage queue as not feedback (kept, with the reason)."""
    require(actor, "intake.resolve_intake")
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the message is ignored.")})
    message = _lock(message)
    if message.status != IntakeStatus.NEW:
        raise ValidationError(_("This message has already been dealt with."), code="not_new")
    message.status = IntakeStatus.IGNORED
    message.note = reason[:2000]
    message.resolved_by = actor
    message.resolved_at = timezone.now()
    message.save()
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=message,
        changes={"status": [IntakeStatus.NEW, IntakeStatus.IGNORED]},
        message=reason[:500],
    )
    return message
