"""Writing the hotline: the named operations, one transaction and one audit entry of their own
each (a follow-up's tracked item adds the tracking app's entry).

``actor=None`` is the system (demo seeding). Bad input raises django ``ValidationError``
naming the field; nothing is saved then.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.accounts.models import UserKind
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record
from huifu.core.permissions import require
from huifu.directory.models import Department, Organisation
from huifu.tracking.models import DeadlineRule
from huifu.tracking.services import tracked_close, tracked_for, tracked_open

from . import selectors
from .models import CallTopic, FollowUpStatus, HotlineCall, HotlineSetting

TRACKING_KIND = "hotline_followup"
DEFAULT_FOLLOW_UP_WORKING_DAYS = 2
_NUMBER = re.compile(r"^\+?[0-9][0-9 \-]{5,30}[0-9]$")


@transaction.atomic
def hotline_setting_record(
    *,
    actor: Any | None,
    number: str,
    effective_from: datetime.date,
    follow_up_working_days: int = DEFAULT_FOLLOW_UP_WORKING_DAYS,
    note: str = "",
) -> HotlineSetting:
    """Record the hotline number (and follow-up deadline) in force from ``effective_from``.
    Earlier rows stay as history; a future date schedules the change."""
    require(actor, "hotline.change_setting")
    number = " ".join(str(number or "").split())
    errors: dict[str, str] = {}
    digits = re.sub(r"\D", "", number)
    if not _NUMBER.match(number) or not 7 <= len(digits) <= 20:
        errors["number"] = _("Enter a telephone number of digits, spaces and hyphens, e.g. 400-820-3618.")
    if effective_from is None:
        errors["effective_from"] = _("Give the date from which the number is in force.")
    elif HotlineSetting.objects.filter(effective_from=effective_from).exists():
        errors["effective_from"] = _("A setting already starts on %(date)s.") % {"date": effective_from.isoformat()}
    try:
        days = int(follow_up_working_days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 60:
        errors["follow_up_working_days"] = _("The follow-up deadline must be between 1 and 60 working days.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            setting = HotlineSetting.objects.create(
                number=number,
                effective_from=effective_from,
                follow_up_working_days=days,
                note=str(note or "").strip()[:200],
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise ValidationError({"effective_from": _("A setting already starts on this date.")})
    audit_create(actor=actor, target=setting)
    return setting


def _follow_up_days() -> int:
    current = selectors.setting_current()
    return current.follow_up_working_days if current is not None else DEFAULT_FOLLOW_UP_WORKING_DAYS


@transaction.atomic
def call_log(
    *,
    actor: Any | None,
    caller_name: str,
    question: str,
    topic: str = CallTopic.OTHER,
    caller_phone: str = "",
    organisation: Organisation | None = None,
    company_name: str = "",
    answer: str = "",
    follow_up_needed: bool = False,
    follow_up_owner: Any | None = None,
    follow_up_department: Department | None = None,
    received_at: datetime.datetime | None = None,
) -> HotlineCall:
    """Log a call. With ``follow_up_needed`` an owner or a department is required and a tracked
    item is opened, due after the working days of the setting in force (2 by default)."""
    require(actor, "hotline.log_call")
    caller_name = str(caller_name or "").strip()
    question = str(question or "").strip()
    received_at = received_at or timezone.now()
    errors: dict[str, str] = {}
    if not caller_name:
        errors["caller_name"] = _("Give the caller's name.")
    if not question:
        errors["question"] = _("Write down the caller's question.")
    if topic not in CallTopic.values:
        errors["topic"] = _("Choose a topic from the list.")
    if timezone.is_naive(received_at):
        errors["received_at"] = _("Give the call time with its time zone.")
    elif received_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["received_at"] = _("The call time cannot be in the future.")
    if follow_up_needed:
        if follow_up_owner is None and follow_up_department is None:
            errors["follow_up_owner"] = _("A follow-up needs an owner or a department.")
        elif follow_up_owner is not None and (follow_up_owner.kind != UserKind.STAFF or not follow_up_owner.is_active):
            errors["follow_up_owner"] = _("The follow-up owner must be an active staff member.")
    if errors:
        raise ValidationError(errors)
    if follow_up_needed and follow_up_department is None and follow_up_owner is not None:
        follow_up_department = follow_up_owner.department
    call = HotlineCall.objects.create(
        received_at=received_at,
        caller_name=caller_name[:80],
        caller_phone=str(caller_phone or "").strip()[:40],
        organisation=organisation,
        company_name="" if organisation is not None else str(company_name or "").strip()[:200],
        topic=topic,
        question=question,
        answer=str(answer or "").strip(),
        follow_up_status=FollowUpStatus.OPEN if follow_up_needed else FollowUpStatus.NONE,
        follow_up_owner=follow_up_owner if follow_up_needed else None,
        follow_up_department=follow_up_department if follow_up_needed else None,
        logged_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_create(actor=actor, target=call)
    if follow_up_needed:
        tracked_open(
            target=call,
            kind=TRACKING_KIND,
            title=_("Hotline follow-up: %(caller)s (%(topic)s)")
            % {"caller": caller_name, "topic": call.get_topic_display()},
            url=call.get_absolute_url(),
            received_at=received_at,
            rule=DeadlineRule.WORKING_DAYS,
            amount=_follow_up_days(),
            organisation=organisation,
            department=follow_up_department,
            owner=follow_up_owner,
            topic=call.topic,
            actor=actor,
            audit=False,
        )
    return call


@transaction.atomic
def call_follow_up_close(*, actor: Any | None, call: HotlineCall, note: str) -> HotlineCall:
    """Record the follow-up's result and stop its clock."""
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the caller was followed up.")})
    call = HotlineCall.objects.select_for_update().get(pk=call.pk)
    require(actor, "hotline.close_follow_up", call)
    if call.follow_up_status != FollowUpStatus.OPEN:
        raise ValidationError(_("This call has no open follow-up."), code="no_open_follow_up")
    call.follow_up_status = FollowUpStatus.DONE
    call.follow_up_note = note
    call.followed_up_at = timezone.now()
    call.save(update_fields=["follow_up_status", "follow_up_note", "followed_up_at", "updated_at"])
    item = tracked_for(call, TRACKING_KIND)
    if item is not None:
        tracked_close(item=item, actor=actor, audit=False)
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=call,
        changes={"follow_up_status": [FollowUpStatus.OPEN, FollowUpStatus.DONE]},
        message=note[:500],
    )
    return call
