"""Writing notices: the named operations. Each runs in one transaction and writes one audit
entry (storing an attachment's file adds the files app's own entry for the stored file).

Every function takes the acting user as ``actor`` and checks the actor's right itself
(``actor=None`` is the system: demo seeding, imports). Illegal state moves raise
``NoticeStateError`` whoever asks; bad input raises django ``ValidationError`` naming the
field; nothing is saved then.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, diff, snapshot
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.directory.models import Organisation
from huifu.files.services import file_store

from . import selectors
from .mailing import notice_mailing_start
from .models import (
    NOTICE_TRANSITIONS,
    ORG_KIND_VALUES,
    AudienceKind,
    Notice,
    NoticeAttachment,
    NoticeCategory,
    NoticeRead,
    NoticeStatus,
)

NOTICE_ATTACHMENT_PURPOSE = "notice_attachment"
MAIL_SUBJECT_PREFIX = "[会服通知]"
MAIL_TOPIC = "notice_published"

# The fields a draft's editor may change (audience organisations are set separately: M2M).
EDITABLE_FIELDS = ("doc_number", "title", "body", "category", "audience_kind", "audience_org_kinds", "department")
_AUDITED_FIELDS = [f if f != "department" else "department_id" for f in EDITABLE_FIELDS]


class NoticeStateError(ValidationError):
    """An operation was asked of a notice in a state that does not allow it."""


def _guard_transition(notice: Notice, target: str) -> None:
    if target not in NOTICE_TRANSITIONS.get(notice.status, frozenset()):
        raise NoticeStateError(
            _("A notice that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": notice.get_status_display(), "target": NoticeStatus(target).label},
        )


def _guard_editable(notice: Notice) -> None:
    if notice.status not in NoticeStatus.editable():
        raise NoticeStateError(
            _("Only drafts can be changed; this notice is “%(status)s”. Withdraw it and issue a new one."),
            code="not_editable",
            params={"status": notice.get_status_display()},
        )


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


def _clean_org_kinds(values: Iterable[str] | None) -> list[str]:
    kinds = sorted({str(v) for v in (values or [])})
    unknown = [k for k in kinds if k not in ORG_KIND_VALUES]
    if unknown:
        raise ValidationError(
            {"audience_org_kinds": _("Unknown kind of organisation: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    return kinds


def _clean(notice: Notice) -> None:
    """Field checks shared by create and update; raises ValidationError naming the field."""
    errors: dict[str, str] = {}
    notice.title = (notice.title or "").strip()
    notice.doc_number = (notice.doc_number or "").strip()
    notice.body = (notice.body or "").strip()
    if not notice.title:
        errors["title"] = _("A notice needs a title.")
    if not notice.body:
        errors["body"] = _("A notice needs a body.")
    if notice.category not in NoticeCategory.values:
        errors["category"] = _("Choose a category from the list.")
    if notice.audience_kind not in AudienceKind.values:
        errors["audience_kind"] = _("Choose an audience from the list.")
    if notice.doc_number:
        taken = Notice.objects.filter(doc_number=notice.doc_number).exclude(pk=notice.pk).exists()
        if taken:
            errors["doc_number"] = _("Another notice already has the document number %(number)s.") % {
                "number": notice.doc_number
            }
    if errors:
        raise ValidationError(errors)
    notice.audience_org_kinds = _clean_org_kinds(notice.audience_org_kinds)
    if notice.audience_kind != AudienceKind.ORG_KINDS:
        notice.audience_org_kinds = []


def _save_organisations(notice: Notice, organisations: Iterable[Organisation] | None) -> None:
    if notice.audience_kind != AudienceKind.ORGANISATIONS:
        notice.audience_organisations.clear()
    elif organisations is not None:
        notice.audience_organisations.set(list(organisations))


def _save(notice: Notice) -> None:
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        # Two drafts raced for the same document number; the constraint decided.
        raise ValidationError({"doc_number": _("Another notice already has this document number.")})


@transaction.atomic
def notice_create_draft(
    *,
    actor: Any | None,
    title: str,
    body: str,
    category: str = NoticeCategory.NOTICE,
    doc_number: str = "",
    audience_kind: str = AudienceKind.ALL_MEMBERS,
    audience_org_kinds: Iterable[str] = (),
    audience_organisations: Iterable[Organisation] = (),
    department: Any | None = None,
) -> Notice:
    """Create a draft. The department defaults to the actor's. The audience may still be
    incomplete (it is checked on publication)."""
    require(actor, "notices.add_notice")
    if department is None and actor is not None:
        department = actor.department
    notice = Notice(
        title=title,
        body=body,
        category=category,
        doc_number=doc_number,
        audience_kind=audience_kind,
        audience_org_kinds=list(audience_org_kinds or []),
        department=department,
        created_by=actor,
        status=NoticeStatus.DRAFT,
    )
    _clean(notice)
    _save(notice)
    _save_organisations(notice, audience_organisations)
    audit_create(actor=actor, target=notice)
    return notice


@transaction.atomic
def notice_update(
    *,
    actor: Any | None,
    notice: Notice,
    audience_organisations: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Notice:
    """Change a draft. Pass only the fields to change (see ``EDITABLE_FIELDS``);
    ``audience_organisations`` replaces the named organisations when given. A published or
    withdrawn notice is never edited (``NoticeStateError``)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    notice = _lock(notice)
    require(actor, "notices.change_notice", notice)
    _guard_editable(notice)
    before = snapshot(notice, _AUDITED_FIELDS)
    before["audience_organisations"] = sorted(notice.audience_organisations.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(notice, name, list(value or []) if name == "audience_org_kinds" else value)
    _clean(notice)
    _save(notice)
    _save_organisations(notice, audience_organisations)
    after = snapshot(notice, _AUDITED_FIELDS)
    after["audience_organisations"] = sorted(notice.audience_organisations.values_list("pk", flat=True))
    changes = diff(before, after)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=notice, changes=changes)
    return notice


def _mail_body(notice: Notice, user: Any) -> str:
    url = absolute_url(notice.get_absolute_url())
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string("notices/email/published.txt", {"notice": notice, "user": user, "url": url})


@transaction.atomic
def notice_publish(*, actor: Any | None, notice: Notice, notify: bool = True) -> Notice:
    """Publish a draft: stamp ``published_at`` and, with ``notify``, record the mailing of every
    active user in the audience (subject "[会服通知] <title>", link to the notice). The mails are
    written by jobs after commit, in chunks, exactly one per recipient
    (``huifu.notices.mailing``); the publication itself costs the same few queries whatever the
    audience size. A rolled-back publication mails nobody.
    Refuses an empty audience (ValidationError on ``audience_kind``/``audience_org_kinds``/
    ``audience_organisations``) and any source state but draft (NoticeStateError)."""
    notice = _lock(notice)
    require(actor, "notices.publish_notice", notice)
    _guard_transition(notice, NoticeStatus.PUBLISHED)
    if selectors.notice_audience_is_empty(notice):
        field = "audience_org_kinds" if notice.audience_kind == AudienceKind.ORG_KINDS else "audience_organisations"
        raise ValidationError({field: _("Choose at least one recipient before publishing.")})
    source = notice.status
    notice.status = NoticeStatus.PUBLISHED
    notice.published_at = timezone.now()
    notice.save(update_fields=["status", "published_at", "updated_at"])
    recipients = notice_mailing_start(notice=notice).total if notify else 0
    audit_transition(
        actor=actor,
        target=notice,
        source=source,
        target_state=notice.status,
        message=f"notified {recipients}" if notify else "published without e-mail",
    )
    return notice


@transaction.atomic
def notice_withdraw(*, actor: Any | None, notice: Notice, reason: str) -> Notice:
    """Withdraw a published notice. Readers no longer see it; the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    notice = _lock(notice)
    require(actor, "notices.withdraw_notice", notice)
    _guard_transition(notice, NoticeStatus.WITHDRAWN)
    source = notice.status
    notice.status = NoticeStatus.WITHDRAWN
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_reason = reason
    notice.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "updated_at"])
    audit_transition(actor=actor, target=notice, source=source, target_state=notice.status, message=reason)
    return notice


@transaction.atomic
def notice_mark_read(*, actor: Any, notice: Notice) -> tuple[NoticeRead, bool]:
    """Record that ``actor`` has read ``notice``; return (receipt, created). Idempotent: a second
    call returns the first receipt and writes nothing. Only a published notice addressed to the
    actor can be marked read; anything else answers like a missing notice (Http404)."""
    from django.http import Http404

    if notice.status != NoticeStatus.PUBLISHED or not selectors.user_in_audience(user=actor, notice=notice):
        raise Http404("notice not found")
    receipt, created = NoticeRead.objects.get_or_create(
        notice=notice,
        user=actor,
        defaults={"organisation_id": actor.organisation_id, "read_at": timezone.now()},
    )
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=notice,
            changes={"read_by": [None, actor.email]},
            message="read",
        )
    return receipt, created


@transaction.atomic
def notice_attachment_add(*, actor: Any | None, notice: Notice, upload: Any) -> NoticeAttachment:
    """Store ``upload`` and attach it to a draft, after the existing attachments."""
    notice = _lock(notice)
    require(actor, "notices.change_notice", notice)
    _guard_editable(notice)
    stored = file_store(upload=upload, actor=actor, organisation=None, purpose=NOTICE_ATTACHMENT_PURPOSE)
    last = notice.attachments.aggregate(m=Max("order"))["m"]
    attachment = NoticeAttachment.objects.create(notice=notice, file=stored, order=(last or 0) + 1)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=notice,
        changes={"attachments": [None, stored.original_name]},
        message="attachment added",
    )
    return attachment


@transaction.atomic
def notice_attachment_remove(*, actor: Any | None, attachment: NoticeAttachment) -> None:
    """Detach a file from a draft. The stored file itself is kept (history may refer to it)."""
    notice = _lock(attachment.notice)
    require(actor, "notices.change_notice", notice)
    _guard_editable(notice)
    name = attachment.file.original_name
    attachment.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=notice,
        changes={"attachments": [name, None]},
        message="attachment removed",
    )
