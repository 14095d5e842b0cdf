"""Replies to a form, collective answers to a topic, satisfaction ratings.

reply_compose(*, form, mode, actor, text=None, meeting_at=None, meeting_minutes=60,
              meeting_link="", attendees="", minutes="") -> Reply   (draft; text defaults to
              the department answers, item by item)
reply_approve_send(*, reply, actor) -> Reply   (PDF letter with its document number (文号) or
              .ics, e-mail, items answered, deadline closed; in a year with a second approver
              the first approval only submits the reply: 待审批)
reply_return(*, reply, actor, reason) -> Reply  (the second approver sends it back to draft)
reply_letter_preview(*, reply, actor) -> bytes   (the PDF as it would be sent, number left open)
reply_record_minutes(*, reply, minutes, actor) -> Reply
collective_publish(*, topic, mode, title, text, actor, audience_kind="all_members",
              organisations=(), meeting_at=None, meeting_link="") -> CollectiveAnswer
satisfaction_record(*, reply, rating, comment="", actor) -> Satisfaction
feedback_close(*, form, actor) -> FeedbackForm
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction, AuditEvent
from huifu.audit.services import audit_create, audit_record, audit_transition, snapshot
from huifu.core.permissions import require
from huifu.files.models import StoredFile
from huifu.tracking import services as tracking
from huifu.workdays.engine import china_date

from .. import letters
from ..models import (
    AnswerMode,
    AudienceKind,
    CollectiveAnswer,
    FeedbackForm,
    FeedbackItem,
    FormStatus,
    ItemKind,
    ItemStatus,
    LetterCounter,
    Reply,
    ReplyLetterPrefix,
    ReplyLetterSetting,
    ReplyStatus,
    Satisfaction,
    Topic,
)
from .common import FORM_KIND, ICS_PURPOSE, ITEM_KIND, LETTER_PURPOSE, FeedbackStateError, china_year, guard


def default_reply_text(form: FeedbackForm) -> str:
    """The department answers, item by item, in the order of the form."""
    lines: list[str] = []
    for kind, heading in (
        (ItemKind.SUGGESTION, "一、关于意见建议"),
        (ItemKind.HELP_REQUEST, "二、关于希望协助推动解决的事项"),
    ):
        items = [i for i in form.items.all() if i.kind == kind]
        if not items:
            continue
        lines.append(heading)
        for item in items:
            lines.append(f"{item.number}．{item.text}")
            answers = [a.text for a in item.answers.all()]
            lines.append("答复：" + ("\n".join(answers) if answers else "（待补充）"))
    return "\n".join(lines)


def reply_compose(
    *,
    form: FeedbackForm,
    mode: str,
    actor: Any,
    text: str | None = None,
    meeting_at: datetime.datetime | None = None,
    meeting_minutes: int = 60,
    meeting_link: str = "",
    attendees: str = "",
    minutes: str = "",
) -> Reply:
    require(actor, "servicedesk.compose_reply")
    errors = {}
    if mode not in AnswerMode.values:
        errors["mode"] = [_("Choose how to reply.")]
    if mode == AnswerMode.MEETING:
        if meeting_at is None:
            errors["meeting_at"] = [_("Enter the meeting time.")]
        if not (meeting_link or "").strip():
            errors["meeting_link"] = [_("Enter the meeting link.")]
        if not (attendees or "").strip():
            errors["attendees"] = [_("Name the exchange's attendees.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().select_related("organisation").get(pk=form.pk)
        guard(form, FormStatus.REPLY_DRAFTED)
        text = (text or "").strip() or default_reply_text(form)
        reply = Reply.objects.filter(form=form).first()
        fields = {
            "mode": mode,
            "text": text,
            "meeting_at": meeting_at if mode == AnswerMode.MEETING else None,
            "meeting_minutes": meeting_minutes or 60,
            "meeting_link": (meeting_link or "").strip(),
            "attendees": (attendees or "").strip(),
            "minutes": (minutes or "").strip(),
        }
        if reply is None:
            reply = Reply.objects.create(form=form, drafted_by=actor, department=_issuing_department(actor), **fields)
        else:
            if reply.status == ReplyStatus.PENDING_APPROVAL:
                raise FeedbackStateError(
                    _("The reply is waiting for the second approval; it can be edited once it is returned."),
                    code="pending_approval",
                )
            if reply.status != ReplyStatus.DRAFT:
                raise FeedbackStateError(_("The reply has been sent already."), code="sent")
            if reply.department_id is None:
                reply.department = _issuing_department(actor)
            for key, value in fields.items():
                setattr(reply, key, value)
            reply.save()
        source = form.status
        form.status = FormStatus.REPLY_DRAFTED
        form.save(update_fields=["status", "updated_at"])
        audit_transition(
            actor=actor,
            target=form,
            source=source,
            target_state=form.status,
            message=_("reply drafted (%(mode)s)") % {"mode": AnswerMode(mode).label},
        )
    return reply


def _store_generated(
    *, content: bytes, name: str, content_type: str, organisation: Any, purpose: str, actor: Any
) -> StoredFile:
    """Keep a document Huifu generated itself (no upload checks needed: we wrote the bytes).

    Not through ``file_store``: that writes its own audit entry, and sending a reply is one
    operation with one audit entry (which names the generated file)."""
    import hashlib
    import uuid

    stored = StoredFile(
        id=uuid.uuid4(),
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        organisation=organisation,
        purpose=purpose,
        uploaded_at=timezone.now(),
    )
    stored.file.save(stored.id.hex, ContentFile(content), save=False)
    stored.save()
    return stored


def _issuing_department(actor: Any) -> Any:
    """The letter is issued by the drafter's department (staff belong to exactly one); the system
    actor drafts for Member Management."""
    department = getattr(actor, "department", None)
    if department is not None:
        return department
    from huifu.directory.models import Department, DepartmentKind

    return Department.objects.filter(kind=DepartmentKind.COORDINATOR).order_by("sort_order", "pk").first()


def letter_setting(year: int) -> ReplyLetterSetting:
    """The year's letter rules (an unsaved default row when staff set none: one approval)."""
    return ReplyLetterSetting.objects.filter(year=year).first() or ReplyLetterSetting(year=year)


def letter_prefix(*, setting: ReplyLetterSetting, department: Any) -> tuple[str, Any]:
    """The document-number prefix ``department`` issues under in the setting's year, and the
    series it numbers in: its own (the department) when staff gave it a prefix, else the year's
    default prefix in the shared series (None)."""
    if setting.pk is not None and department is not None:
        own = ReplyLetterPrefix.objects.filter(setting=setting, department=department).first()
        if own is not None:
            return own.doc_prefix, department
    return setting.doc_prefix, None


def letter_number_allocate(*, department: Any, year: int) -> int:
    """The next document number of a series in ``year``: ``department``'s own series, or the
    year's shared default series for ``department=None`` (see ``letter_prefix``). Call inside the
    sending transaction: the counter row stays locked until it commits, so two letters never share
    a number, and a rolled-back send gives its number back (no gaps)."""
    LetterCounter.objects.get_or_create(department=department, year=year)
    counter = LetterCounter.objects.select_for_update().get(department=department, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _is_own(reply: Reply, actor: Any) -> bool:
    """Whether ``actor`` drafted, edited or submitted ``reply``: such a person is never its second
    approver. ``drafted_by`` names only who created the draft; a colleague who rewrote the text
    afterwards is found by the form's "reply drafted" entries in the audit trail (each
    ``reply_compose`` writes one, with its actor), so they cannot approve their own words."""
    pk = getattr(actor, "pk", None)
    if pk in {reply.drafted_by_id, reply.submitted_by_id}:
        return True
    if pk is None:
        return False
    composed = AuditEvent.objects.for_object(FeedbackForm(pk=reply.form_id)).filter(
        action=AuditAction.TRANSITION, actor_id=pk
    )
    return any(
        isinstance(changes, dict) and (changes.get("status") or [None])[-1] == FormStatus.REPLY_DRAFTED
        for changes in composed.values_list("changes", flat=True)
    )


def reply_letter_preview(*, reply: Reply, actor: Any) -> bytes:
    """The PDF letter exactly as it would go out today, with the document number left open
    (it is given on sending). Nothing is stored."""
    require(actor, "servicedesk.compose_reply")
    form = FeedbackForm.objects.select_related("organisation").get(pk=reply.form_id)
    department = reply.department or _issuing_department(actor)
    setting = letter_setting(china_year(timezone.now()))
    prefix, _series = letter_prefix(setting=setting, department=department)
    return letters.reply_letter_pdf(
        form=form,
        text=reply.text,
        sent_on=china_date(timezone.now()),
        doc_number=f"{prefix}〔{setting.year}〕　号",
        department=department.name_zh if department else "",
        preview=True,
    )


def reply_actions(*, reply: Reply | None, user: Any) -> dict[str, Any]:
    """What ``user`` may do with ``reply`` now (views and templates ask this, never the status):
    ``preview`` the letter, ``send`` it (``send_label`` says whether that sends or only submits
    for the second approval), ``decide`` (approve or return, as the second approver), and
    ``own_pending`` (it waits for somebody else)."""
    actions = {"preview": False, "send": False, "send_label": "", "decide": False, "own_pending": False}
    if reply is None or not getattr(user, "is_authenticated", False):
        return actions
    can_approve = user.has_perm("servicedesk.approve_reply")
    actions["preview"] = (
        reply.mode == AnswerMode.WRITTEN
        and reply.status != ReplyStatus.SENT
        and user.has_perm("servicedesk.compose_reply")
    )
    if reply.status == ReplyStatus.DRAFT and can_approve:
        actions["send"] = True
        second = letter_setting(china_year(timezone.now())).second_approval
        actions["send_label"] = _("Submit for approval") if second else _("Approve and send")
    if reply.status == ReplyStatus.PENDING_APPROVAL and can_approve:
        own = _is_own(reply, user)
        actions["decide"] = not own
        actions["own_pending"] = own
    return actions


def reply_return(*, reply: Reply, actor: Any, reason: str) -> Reply:
    """The second approver sends a reply waiting for approval back to draft, with the reason
    (shown to the drafter). Nobody returns a reply they drafted or submitted themselves."""
    require(actor, "servicedesk.approve_reply")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for returning the reply.")]})
    with transaction.atomic():
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.status != ReplyStatus.PENDING_APPROVAL:
            raise FeedbackStateError(_("Only a reply waiting for approval can be returned."), code="not_pending")
        if _is_own(reply, actor):
            raise FeedbackStateError(
                _("A second approver cannot decide on a reply they wrote or submitted."), code="own_reply"
            )
        reply.status = ReplyStatus.DRAFT
        reply.returned_reason = reason
        reply.submitted_by = None
        reply.submitted_at = None
        reply.save()
        audit_transition(
            actor=actor,
            target=reply,
            source=ReplyStatus.PENDING_APPROVAL,
            target_state=ReplyStatus.DRAFT,
            message=_("returned: %(reason)s") % {"reason": reason},
        )
    return reply


def reply_approve_send(*, reply: Reply, actor: Any) -> Reply:
    """The coordinator approves the reply and it goes to the company: a PDF letter (written) or
    an .ics invitation (meeting) is generated and e-mailed to the form's contact and the
    company's users; every item counts as replied; the deadline is closed (on time or late).

    A written letter takes the issuing department's next document number (文号) of the year,
    allocated in this transaction. In a year whose ``ReplyLetterSetting`` asks for a second
    approver, the first approval only moves the reply to 待审批 (nothing is sent); a different
    user with the approval permission then approves (this function again) or returns it."""
    require(actor, "servicedesk.approve_reply")
    with transaction.atomic():
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        form = FeedbackForm.objects.select_for_update().select_related("organisation").get(pk=reply.form_id)
        if reply.status == ReplyStatus.SENT:
            raise FeedbackStateError(_("The reply has been sent already."), code="sent")
        guard(form, FormStatus.REPLIED)
        now = timezone.now()
        setting = letter_setting(china_year(now))
        if setting.second_approval and reply.status == ReplyStatus.DRAFT:
            reply.status = ReplyStatus.PENDING_APPROVAL
            reply.submitted_by = actor if getattr(actor, "is_authenticated", False) else reply.drafted_by
            reply.submitted_at = now
            reply.returned_reason = ""
            reply.save()
            audit_transition(
                actor=actor,
                target=reply,
                source=ReplyStatus.DRAFT,
                target_state=ReplyStatus.PENDING_APPROVAL,
                message=_("submitted for the second approval"),
            )
            return reply
        if reply.status == ReplyStatus.PENDING_APPROVAL and _is_own(reply, actor):
            raise FeedbackStateError(
                _("A second approver cannot decide on a reply they wrote or submitted."), code="own_reply"
            )
        attachment = None
        if reply.mode == AnswerMode.WRITTEN:
            if reply.department_id is None:
                reply.department = _issuing_department(reply.drafted_by)
            prefix, series = letter_prefix(setting=setting, department=reply.department)
            reply.doc_year = setting.year
            reply.doc_serial = letter_number_allocate(department=series, year=setting.year)
            reply.doc_number = f"{prefix}〔{setting.year}〕{reply.doc_serial}号"
            pdf = letters.reply_letter_pdf(
                form=form,
                text=reply.text,
                sent_on=china_date(now),
                doc_number=reply.doc_number,
                department=reply.department.name_zh if reply.department else "",
            )
            attachment = reply.letter = _store_generated(
                content=pdf,
                name=f"会员之声反馈答复函-{form.year}-{form.serial_display}.pdf",
                content_type="application/pdf",
                organisation=form.organisation,
                purpose=LETTER_PURPOSE,
                actor=actor,
            )
        else:
            ics = letters.meeting_ics(form=form, reply=reply, organiser_email=settings.DEFAULT_FROM_EMAIL)
            attachment = reply.ics = _store_generated(
                content=ics,
                name=f"meeting-{form.year}-{form.serial_display}.ics",
                content_type="text/calendar",
                organisation=form.organisation,
                purpose=ICS_PURPOSE,
                actor=actor,
            )
        reply.status = ReplyStatus.SENT
        reply.approved_by = actor if getattr(actor, "is_authenticated", False) else reply.drafted_by
        reply.approved_at = reply.sent_at = now
        reply.save()
        source = form.status
        form.status = FormStatus.REPLIED
        form.save(update_fields=["status", "updated_at"])
        for item in form.items.select_for_update():
            if item.status != ItemStatus.COLLECTIVE:
                item.status = ItemStatus.REPLIED
                item.save(update_fields=["status"])
            tracked = tracking.tracked_for(item, ITEM_KIND)
            if tracked is not None:
                tracking.tracked_close(item=tracked, actor=actor, at=now, audit=False)
        tracked = tracking.tracked_for(form, FORM_KIND)
        if tracked is not None:
            tracking.tracked_close(item=tracked, actor=actor, at=now, audit=False)
        audit_transition(
            actor=actor,
            target=form,
            source=source,
            target_state=form.status,
            message=(_("reply sent (%(mode)s)") % {"mode": reply.get_mode_display()}) + f": {attachment.original_name}",
        )
        from .notify import notify_reply

        notify_reply(form, reply, attachment)
    return reply


def reply_record_minutes(*, reply: Reply, minutes: str, actor: Any) -> Reply:
    require(actor, "servicedesk.compose_reply")
    with transaction.atomic():
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.mode != AnswerMode.MEETING:
            raise ValidationError({"minutes": _("Only a meeting has minutes.")})
        before = snapshot(reply, ["minutes"])
        reply.minutes = (minutes or "").strip()
        reply.save(update_fields=["minutes", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=reply,
            changes={"minutes": [before["minutes"], reply.minutes]},
        )
    return reply


def feedback_close(*, form: FeedbackForm, actor: Any) -> FeedbackForm:
    require(actor, "servicedesk.manage_feedback")
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().get(pk=form.pk)
        guard(form, FormStatus.CLOSED)
        form.status = FormStatus.CLOSED
        form.save(update_fields=["status", "updated_at"])
        audit_transition(actor=actor, target=form, source=FormStatus.REPLIED, target_state=form.status)
    return form


def collective_publish(
    *,
    topic: Topic,
    mode: str,
    title: str,
    text: str,
    actor: Any,
    audience_kind: str = AudienceKind.ALL_MEMBERS,
    organisations: Iterable[Any] = (),
    meeting_at: datetime.datetime | None = None,
    meeting_link: str = "",
) -> CollectiveAnswer:
    """Answer a topic for everyone: a notice published through ``huifu.notices`` to all members
    or the chosen companies (a meeting answer's notice carries the time and link). Every item
    tagged with the topic whose company is in the audience shows this answer and counts as
    answered (its deadline closes)."""
    require(actor, "servicedesk.publish_collective")
    from huifu.notices.models import AudienceKind as NoticeAudience
    from huifu.notices.models import NoticeCategory
    from huifu.notices.services import notice_create_draft, notice_publish

    organisations = list(organisations or [])
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = [_("Enter a title.")]
    if mode == AnswerMode.WRITTEN and not text:
        errors["text"] = [_("Write the report.")]
    if mode == AnswerMode.MEETING and (meeting_at is None or not (meeting_link or "").strip()):
        errors["meeting_at"] = [_("Enter the meeting time and link.")]
    if audience_kind == AudienceKind.ORGANISATIONS and not organisations:
        errors["organisations"] = [_("Choose at least one company.")]
    if errors:
        raise ValidationError(errors)
    body = text
    if mode == AnswerMode.MEETING:
        when = timezone.localtime(meeting_at).strftime("%Y-%m-%d %H:%M")
        body = f"{text}\n\n会议时间：{when}\n会议链接：{meeting_link}".strip()
    with transaction.atomic():
        notice = notice_create_draft(
            actor=actor,
            title=title,
            body=body,
            category=NoticeCategory.REPORT,
            audience_kind=(
                NoticeAudience.ALL_MEMBERS
                if audience_kind == AudienceKind.ALL_MEMBERS
                else NoticeAudience.ORGANISATIONS
            ),
            **({"audience_organisations": organisations} if audience_kind == AudienceKind.ORGANISATIONS else {}),
        )
        notice = notice_publish(actor=actor, notice=notice, notify=True)
        answer = CollectiveAnswer.objects.create(
            topic=topic,
            mode=mode,
            title=title,
            text=text,
            meeting_at=meeting_at if mode == AnswerMode.MEETING else None,
            meeting_link=(meeting_link or "").strip(),
            audience_kind=audience_kind,
            notice=notice,
            published_by=actor,
            published_at=timezone.now(),
        )
        if organisations:
            answer.audience_organisations.set(organisations)
        items = FeedbackItem.objects.select_for_update().filter(topics=topic).exclude(status=ItemStatus.REPLIED)
        if audience_kind == AudienceKind.ORGANISATIONS:
            items = items.filter(organisation__in=organisations)
        count = 0
        for item in items:
            item.status = ItemStatus.COLLECTIVE
            item.collective_answer = answer
            item.save(update_fields=["status", "collective_answer"])
            tracked = tracking.tracked_for(item, ITEM_KIND)
            if tracked is not None:
                tracking.tracked_close(item=tracked, actor=actor, audit=False)
            count += 1
        audit_create(actor=actor, target=answer, message=_("%(n)s items answered") % {"n": count})
    return answer


def satisfaction_record(*, reply: Reply, rating: int, comment: str = "", actor: Any) -> Satisfaction:
    """The member rates a sent reply (1–5) once; a second rating replaces the first."""
    require(actor, "servicedesk.rate_reply", reply)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    with transaction.atomic():
        reply = Reply.objects.select_for_update().get(pk=reply.pk)
        if reply.status != ReplyStatus.SENT:
            raise FeedbackStateError(_("Only a sent reply can be rated."), code="not_sent")
        sat, created = Satisfaction.objects.update_or_create(
            reply=reply, defaults={"rating": rating, "comment": (comment or "").strip()[:2000], "by": actor}
        )
        if created:
            audit_create(actor=actor, target=sat, message=str(reply.form))
        else:
            audit_record(actor=actor, action=AuditAction.UPDATE, target=sat, changes={"rating": [None, rating]})
    return sat
