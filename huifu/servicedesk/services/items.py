"""Working on items: assignment, department answers, topics and links, pausing for the member.

item_assign(*, item, owner, departments, actor) -> FeedbackItem
answer_draft(*, item, department, text, actor) -> DepartmentAnswer
item_set_topics(*, item, topics, actor) -> FeedbackItem
item_link(*, item, other, actor) / item_unlink(*, item, other, actor)
topic_create(*, name, description="", actor) -> Topic
feedback_pause(*, form, reason, actor) -> FeedbackForm        (waiting for the member)
feedback_member_answer(*, form, text, actor) -> FeedbackForm  (the member answers: resume)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, snapshot
from huifu.core.permissions import require
from huifu.tracking import services as tracking
from huifu.tracking.models import TrackedItem, TrackedStatus

from ..models import DepartmentAnswer, FeedbackForm, FeedbackItem, FormStatus, ItemStatus, Topic
from .common import FORM_KIND, ITEM_KIND, FeedbackStateError, guard


def _lock_item(item: FeedbackItem) -> FeedbackItem:
    return FeedbackItem.objects.select_for_update().select_related("form", "organisation").get(pk=item.pk)


def _form_to_progress(form: FeedbackForm) -> None:
    if form.status == FormStatus.SUBMITTED:
        form.status = FormStatus.IN_PROGRESS
        form.save(update_fields=["status", "updated_at"])


def item_assign(*, item: FeedbackItem, owner: Any, departments: Iterable[Any], actor: Any) -> FeedbackItem:
    """Member Management gives the item an owner and one or more departments (the first is the
    lead department in the work queue); the owner is notified. The form moves to "in progress"."""
    require(actor, "servicedesk.assign_item", item)
    departments = list(departments or [])
    errors = {}
    if owner is None or getattr(owner, "kind", "") != "staff" or not owner.is_active:
        errors["owner"] = [_("Choose an active staff member as owner.")]
    if not departments:
        errors["departments"] = [_("Choose at least one department.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = _lock_item(item)
        form = FeedbackForm.objects.select_for_update().get(pk=item.form_id)
        if (
            form.status
            not in (FormStatus.SUBMITTED, FormStatus.IN_PROGRESS, FormStatus.WAITING_MEMBER, FormStatus.REPLY_DRAFTED)
            or item.is_answered
        ):
            raise FeedbackStateError(_("This item can no longer be assigned."), code="not_assignable")
        before = {"owner": str(item.owner or ""), "departments": sorted(str(d) for d in item.departments.all())}
        item.owner = owner
        if item.status == ItemStatus.OPEN:
            item.status = ItemStatus.ASSIGNED
        item.save(update_fields=["owner", "status"])
        item.departments.set(departments)
        _form_to_progress(form)
        tracked = tracking.tracked_for(item, ITEM_KIND)
        if tracked is not None and tracked.is_open:
            # Every assigned department's staff see the item in their queue; the first leads.
            tracking.tracked_assign(item=tracked, owner=owner, departments=departments, actor=actor, audit=False)
        form_tracked = tracking.tracked_for(form, FORM_KIND)
        if form_tracked is not None and form_tracked.owner_id is None and form_tracked.is_open:
            tracking.tracked_assign(
                item=form_tracked,
                owner=actor if getattr(actor, "kind", "") == "staff" else owner,
                actor=actor,
                audit=False,
            )
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=item,
            changes={
                "owner": [before["owner"], str(owner)],
                "departments": [before["departments"], sorted(str(d) for d in departments)],
            },
            message=_("assigned"),
        )
    return item


def answer_draft(*, item: FeedbackItem, department: Any, text: str, actor: Any) -> DepartmentAnswer:
    """A department's answer to the item (one per department, edited in place until the reply is sent)."""
    require(actor, "servicedesk.answer_item", item)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the answer.")})
    with transaction.atomic():
        item = _lock_item(item)
        if item.is_answered or item.form.status in (FormStatus.REPLIED, FormStatus.CLOSED):
            raise FeedbackStateError(_("This item has been answered already."), code="answered")
        if not item.departments.filter(pk=department.pk).exists():
            raise ValidationError({"department": _("This department is not assigned to the item.")})
        answer, created = DepartmentAnswer.objects.select_for_update().get_or_create(
            item=item, department=department, defaults={"text": text, "author": actor}
        )
        if not created:
            before = snapshot(answer, ["text", "author_id"])
            answer.text, answer.author = text, actor
            answer.save()
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=answer,
                target_label=str(item),
                changes={"text": [before["text"], text]},
            )
        else:
            audit_create(actor=actor, target=answer, message=str(item))
        if item.status in (ItemStatus.OPEN, ItemStatus.ASSIGNED):
            item.status = ItemStatus.ANSWER_DRAFTED
            item.save(update_fields=["status"])
        _form_to_progress(FeedbackForm.objects.select_for_update().get(pk=item.form_id))
    return answer


def topic_create(*, name: str, description: str = "", actor: Any) -> Topic:
    require(actor, "servicedesk.manage_topics")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    if Topic.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A topic with this name exists already.")})
    with transaction.atomic():
        topic = Topic.objects.create(name=name[:100], description=(description or "").strip())
        audit_create(actor=actor, target=topic)
    return topic


def item_set_topics(*, item: FeedbackItem, topics: Iterable[Topic], actor: Any) -> FeedbackItem:
    require(actor, "servicedesk.manage_topics")
    topics = list(topics)
    with transaction.atomic():
        item = _lock_item(item)
        before = sorted(t.name for t in item.topics.all())
        item.topics.set(topics)
        after = sorted(t.name for t in topics)
        tracked = TrackedItem.objects.filter(pk=getattr(tracking.tracked_for(item, ITEM_KIND), "pk", None))
        tracked.update(topic=("、".join(after))[:100])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=item, changes={"topics": [before, after]})
    return item


def item_link(*, item: FeedbackItem, other: FeedbackItem, actor: Any) -> None:
    """Mark two items as similar (symmetrical)."""
    require(actor, "servicedesk.manage_topics")
    if item.pk == other.pk:
        raise ValidationError({"other": _("An item cannot be linked to itself.")})
    with transaction.atomic():
        item.linked.add(other)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=item, changes={"linked": [None, str(other.pk)]})


def item_unlink(*, item: FeedbackItem, other: FeedbackItem, actor: Any) -> None:
    require(actor, "servicedesk.manage_topics")
    with transaction.atomic():
        item.linked.remove(other)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=item, changes={"linked": [str(other.pk), None]})


def _tracked_of_form(form: FeedbackForm) -> list[TrackedItem]:
    out = []
    form_tracked = tracking.tracked_for(form, FORM_KIND)
    if form_tracked is not None:
        out.append(form_tracked)
    for item in form.items.all():
        tracked = tracking.tracked_for(item, ITEM_KIND)
        if tracked is not None:
            out.append(tracked)
    return out


def feedback_pause(*, form: FeedbackForm, reason: str, actor: Any, at: Any = None) -> FeedbackForm:
    """Ask the member for clarification: the reply clock stops until the member answers."""
    require(actor, "servicedesk.manage_feedback")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the member should clarify.")})
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().select_related("organisation").get(pk=form.pk)
        guard(form, FormStatus.WAITING_MEMBER)
        source = form.status
        form.status = FormStatus.WAITING_MEMBER
        form.pause_reason = reason[:500]
        form.save(update_fields=["status", "pause_reason", "updated_at"])
        for tracked in _tracked_of_form(form):
            if tracked.status == TrackedStatus.OPEN:
                tracking.tracked_pause(item=tracked, reason=reason, actor=actor, at=at, audit=False)
        audit_transition(actor=actor, target=form, source=source, target_state=form.status, message=reason[:500])
        from .notify import notify_clarification

        notify_clarification(form)
    return form


def feedback_member_answer(*, form: FeedbackForm, text: str, actor: Any, at: Any = None) -> FeedbackForm:
    """The member answers the question: the text is kept and the clock resumes (staff may also
    record an answer received by phone)."""
    require(actor, "servicedesk.answer_clarification", form)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your answer.")})
    with transaction.atomic():
        form = FeedbackForm.objects.select_for_update().get(pk=form.pk)
        guard(form, FormStatus.IN_PROGRESS)
        if form.status != FormStatus.WAITING_MEMBER:
            raise FeedbackStateError(_("No question is waiting for an answer."), code="not_waiting")
        form.status = FormStatus.IN_PROGRESS
        form.member_clarification = (form.member_clarification + "\n\n" + text).strip()
        form.save(update_fields=["status", "member_clarification", "updated_at"])
        for tracked in _tracked_of_form(form):
            if tracked.status == TrackedStatus.PAUSED:
                tracking.tracked_resume(item=tracked, actor=actor, at=at, audit=False)
        audit_transition(actor=actor, target=form, source=FormStatus.WAITING_MEMBER, target_state=form.status)
    return form
