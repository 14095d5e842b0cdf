"""Tracking services: open, assign, pause, resume and close a tracked item.

Keyword-only, ``actor`` (None = the system), one transaction and one audit entry each.
``audit=False`` is for callers that are themselves one audited operation (e.g. a service-desk
reply closing its deadlines): they write the single audit entry of the whole operation, the
tracking change rides inside their transaction. Direct calls (the queue, jobs) keep the default.
Notifications (e-mail through the outbox, the department's webhook through a job) are written
inside the same transaction and delivered after commit.

    tracked_open(*, target, kind, title, url, received_at, rule, amount, organisation=None,
                 department=None, departments=(), owner=None, topic="", actor, audit=True) -> TrackedItem
    tracked_assign(*, item, owner=None, department=None, departments=None, actor, audit=True) -> TrackedItem
    tracked_pause(*, item, reason, actor) -> TrackedItem
    tracked_resume(*, item, actor) -> TrackedItem
    tracked_close(*, item, actor, cancelled=False) -> TrackedItem
    tracked_for(target, kind=None) -> TrackedItem | None
    tracked_reopen(*, item, actor) -> TrackedItem
    tracked_bulk_assign(*, item_ids, owner=None, department=None, actor) -> list[TrackedItem]
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.workdays.engine import china_date, end_of_day
from huifu.workdays.selectors import calendar_snapshot

from .models import DeadlineRule, TrackedItem, TrackedStatus
from .notify import notify_assignment

__all__ = [
    "TrackingStateError",
    "compute_due",
    "BulkAssignRefused",
    "tracked_assign",
    "tracked_bulk_assign",
    "tracked_close",
    "tracked_for",
    "tracked_open",
    "tracked_pause",
    "tracked_reopen",
    "tracked_resume",
]


class TrackingStateError(ValidationError):
    """The operation does not fit the item's state (e.g. resuming an item that is not paused)."""


def compute_due(received_at: datetime.datetime, rule: str, amount: int) -> tuple[datetime.datetime, bool, list[str]]:
    """(due_at, provisional, warnings) for ``amount`` working or calendar days after ``received_at``."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    cal = calendar_snapshot()
    if rule == DeadlineRule.WORKING_DAYS:
        deadline = cal.deadline_at(received_at, amount)
    elif rule == DeadlineRule.CALENDAR_DAYS:
        deadline = cal.calendar_deadline_at(received_at, amount)
    else:
        raise ValidationError({"rule": _("Unknown deadline rule “%(rule)s”.") % {"rule": rule}})
    return deadline.at, bool(deadline.provisional), [str(w) for w in deadline.warnings]


def _lock(item: TrackedItem) -> TrackedItem:
    return TrackedItem.objects.select_for_update().get(pk=item.pk)


def _department_set(lead: Any, departments: Any) -> list[Any]:
    """The lead department first, then the others, without duplicates."""
    out: dict[int, Any] = {}
    for dept in [lead, *(departments or [])]:
        if dept is not None:
            out.setdefault(dept.pk, dept)
    return list(out.values())


def tracked_for(target: Any, kind: str | None = None) -> TrackedItem | None:
    """The tracked item of ``target`` (of ``kind`` if given), or None."""
    qs = TrackedItem.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("owner", "department", "organisation")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-pk").first()


def tracked_open(
    *,
    target: Any,
    kind: str,
    title: str,
    url: str,
    received_at: datetime.datetime,
    rule: str,
    amount: int,
    organisation: Any = None,
    department: Any = None,
    departments: Any = (),
    owner: Any = None,
    topic: str = "",
    actor: Any,
    audit: bool = True,
) -> TrackedItem:
    """Start the clock for ``target``: due ``amount`` working/calendar days after ``received_at``
    (end of the due day, Asia/Shanghai). Opening the same (target, kind) twice returns the
    existing item unchanged. Notifies the owner (or the department) when one is given.
    ``departments`` are further assigned departments (``department`` is the lead; without it
    the first of ``departments`` leads); each one's staff see the item in their queue."""
    if amount < 0:
        raise ValidationError({"amount": _("The deadline cannot be negative.")})
    due_at, provisional, warnings = compute_due(received_at, rule, amount)
    assigned = _department_set(department, departments)
    department = assigned[0] if assigned else None
    with transaction.atomic():
        existing = tracked_for(target, kind)
        if existing is not None:
            return existing
        item = TrackedItem.objects.create(
            kind=kind,
            title=str(title)[:300],
            target_type=ContentType.objects.get_for_model(target),
            target_id=str(target.pk),
            url=url[:300],
            organisation=organisation,
            department=department,
            owner=owner,
            topic=(topic or "")[:100],
            received_at=received_at,
            deadline_rule=rule,
            deadline_amount=amount,
            due_at=due_at,
            provisional=provisional,
            warnings=warnings,
        )
        if assigned:
            item.departments.set(assigned)
        if audit:
            audit_create(actor=actor, target=item, message=kind)
        if owner is not None or department is not None:
            notify_assignment(item)
    return item


def tracked_assign(
    *,
    item: TrackedItem,
    owner: Any = None,
    department: Any = None,
    departments: Any = None,
    actor: Any,
    audit: bool = True,
) -> TrackedItem:
    """Give the item a new owner and/or departments; notifies the new owner (or department).

    ``departments`` (a list) replaces the assigned departments; ``department`` (or else the first
    of ``departments``) becomes the lead. With ``department`` alone the lead moves: the old lead
    leaves the assigned set and the new one joins it."""
    with transaction.atomic():
        item = _lock(item)
        if not item.is_open:
            raise TrackingStateError(_("A finished item cannot be reassigned."), code="not_open")
        current = list(item.departments.order_by("pk"))
        before = snapshot(item, ["owner_id", "department_id"])
        before["departments"] = sorted(d.pk for d in current)
        if departments is not None:
            wanted = _department_set(department, departments)
        elif department is not None:
            wanted = _department_set(department, [d for d in current if d.pk != item.department_id])
        else:
            wanted = current
        changed = False
        if owner is not None and owner.pk != item.owner_id:
            item.owner = owner
            changed = True
        lead = wanted[0] if (department is not None or departments is not None) and wanted else None
        if lead is not None and lead.pk != item.department_id:
            item.department = lead
            changed = True
        after_departments = sorted(d.pk for d in wanted)
        if after_departments != before["departments"]:
            item.departments.set(wanted)
            changed = True
        if changed:
            item.save(update_fields=["owner", "department", "updated_at"])
            if audit:
                after = snapshot(item, ["owner_id", "department_id"])
                changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
                if after_departments != before["departments"]:
                    changes["departments"] = [before["departments"], after_departments]
                audit_record(
                    actor=actor, action=AuditAction.UPDATE, target=item, changes=changes, message=_("assigned")
                )
            notify_assignment(item)
    return item


class BulkAssignRefused(ValidationError):
    """Some of the items may not be assigned: nothing was changed. ``refused``: (item or id, why)."""

    def __init__(self, refused: list[tuple[Any, str]]) -> None:
        self.refused = refused
        super().__init__(_("Nothing was assigned: %(n)s of the checked items cannot be.") % {"n": len(refused)})


def tracked_bulk_assign(
    *, item_ids: list[int], owner: Any = None, department: Any = None, actor: Any
) -> list[TrackedItem]:
    """Give every item of ``item_ids`` the ``owner`` and/or the lead ``department``, all or
    nothing: each item is checked with the same rules as one by one (``tracking.assign_item``;
    a kind with an ``assign`` hook, e.g. a Member Voice item, goes through its app's own
    service and rules). If any item is refused, nothing changes and ``BulkAssignRefused``
    lists each refused item with the reason."""
    from huifu.accounts.predicates import is_coordinator

    from .kinds import assign_hook
    from .selectors import tracked_items_for

    if owner is None and department is None:
        raise ValidationError(_("Choose an owner or a department for the checked items."))
    wanted = list(dict.fromkeys(item_ids))
    items = {i.pk: i for i in tracked_items_for(actor).filter(pk__in=wanted).select_related("department")}
    refused: list[tuple[Any, str]] = [(pk, str(_("not in your queue"))) for pk in wanted if pk not in items]
    for item in items.values():
        if not actor.has_perm("tracking.assign_item", item):
            refused.append((item, str(_("led by another department"))))
        elif not item.is_open:
            refused.append((item, str(_("already finished"))))
        elif owner is not None and not is_coordinator(actor) and owner.department_id != actor.department_id:
            refused.append((item, str(_("the owner is not in your department"))))
    if refused:
        raise BulkAssignRefused(refused)
    done = []
    with transaction.atomic():
        for pk in wanted:
            item = items[pk]
            hook = assign_hook(item.kind)
            try:
                with transaction.atomic():
                    if hook is not None:
                        hook(item=item, owner=owner, department=department, actor=actor)
                        item.refresh_from_db()
                    else:
                        item = tracked_assign(item=item, owner=owner, department=department, actor=actor)
            except PermissionDenied:
                refused.append((item, str(_("only Member Management assigns these"))))
            except ValidationError as exc:
                refused.append((item, " ".join(exc.messages)))
            done.append(item)
        if refused:
            raise BulkAssignRefused(refused)  # rolls back the items already assigned
    return done


def _shift(item: TrackedItem, paused_from: datetime.date, resumed_on: datetime.date) -> None:
    cal = calendar_snapshot()
    due_date = china_date(item.due_at)
    if item.deadline_rule == DeadlineRule.WORKING_DAYS:
        lost = max(cal.working_days_between(paused_from, resumed_on).days, 0)
        result = cal.add_working_days(due_date, lost) if lost else None
        new_date = result.date if result else due_date
        item.paused_working_days += lost
        if result is not None and result.provisional:
            item.provisional = True
            item.warnings = list(dict.fromkeys([*item.warnings, *(str(w) for w in result.warnings)]))
    else:
        lost = max((resumed_on - paused_from).days, 0)
        new_date = due_date + datetime.timedelta(days=lost)
    item.paused_days_total += max((resumed_on - paused_from).days, 0)
    item.due_at = end_of_day(new_date)


def tracked_pause(
    *, item: TrackedItem, reason: str, actor: Any, at: datetime.datetime | None = None, audit: bool = True
) -> TrackedItem:
    """Stop the clock (e.g. waiting for the member's clarification). ``reason`` is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for pausing.")})
    with transaction.atomic():
        item = _lock(item)
        if item.status != TrackedStatus.OPEN:
            raise TrackingStateError(_("Only a running item can be paused."), code="not_running")
        source = item.status
        item.status = TrackedStatus.PAUSED
        item.paused_at = at or timezone.now()
        item.pause_reason = reason[:500]
        item.save(update_fields=["status", "paused_at", "pause_reason", "updated_at"])
        if audit:
            audit_transition(actor=actor, target=item, source=source, target_state=item.status, message=reason[:500])
    return item


def tracked_resume(
    *, item: TrackedItem, actor: Any, at: datetime.datetime | None = None, audit: bool = True
) -> TrackedItem:
    """Restart the clock; ``due_at`` moves by the time paused, counted by the item's own rule
    (working days paused for working-day deadlines, calendar days otherwise)."""
    with transaction.atomic():
        item = _lock(item)
        if item.status != TrackedStatus.PAUSED:
            raise TrackingStateError(_("Only a paused item can be resumed."), code="not_paused")
        now = at or timezone.now()
        _shift(item, china_date(item.paused_at), china_date(now))
        item.status = TrackedStatus.OPEN
        item.paused_at = None
        item.save()
        if audit:
            audit_transition(
                actor=actor,
                target=item,
                source=TrackedStatus.PAUSED,
                target_state=item.status,
                message=_("due %(date)s") % {"date": china_date(item.due_at).isoformat()},
            )
    return item


def tracked_close(
    *,
    item: TrackedItem,
    actor: Any,
    cancelled: bool = False,
    at: datetime.datetime | None = None,
    audit: bool = True,
) -> TrackedItem:
    """Finish the item: ``on_time`` is ``done_at <= due_at`` (None when cancelled). A paused item
    is resumed first (its clock shifted) so the comparison is fair. Closing twice is a no-op."""
    with transaction.atomic():
        item = _lock(item)
        if not item.is_open:
            return item
        now = at or timezone.now()
        source = item.status
        if item.status == TrackedStatus.PAUSED:
            _shift(item, china_date(item.paused_at), china_date(now))
            item.paused_at = None
        item.status = TrackedStatus.CANCELLED if cancelled else TrackedStatus.DONE
        item.done_at = now
        item.on_time = None if cancelled else now <= item.due_at
        item.save()
        if audit:
            audit_transition(actor=actor, target=item, source=source, target_state=item.status)
    return item


def tracked_reopen(*, item: TrackedItem, actor: Any, audit: bool = True) -> TrackedItem:
    """Put a finished item back in the queue with its previous due date (e.g. a reply withdrawn)."""
    with transaction.atomic():
        item = _lock(item)
        if item.is_open:
            return item
        source = item.status
        item.status = TrackedStatus.OPEN
        item.done_at = None
        item.on_time = None
        item.save()
        if audit:
            audit_transition(actor=actor, target=item, source=source, target_state=item.status)
    return item


def policy_record(*, kind: str, remind_before_working_days: int, escalate_after_due: bool = True, actor: Any):  # noqa: ANN201
    """Create or change the reminder rule of ``kind`` (data, not settings)."""
    from .models import TrackingPolicy

    with transaction.atomic():
        policy, created = TrackingPolicy.objects.select_for_update().get_or_create(kind=kind)
        before = snapshot(policy, ["remind_before_working_days", "escalate_after_due"])
        policy.remind_before_working_days = remind_before_working_days
        policy.escalate_after_due = escalate_after_due
        policy.save()
        if created:
            audit_create(actor=actor, target=policy)
        else:
            audit_update(actor=actor, target=policy, before=before) or audit_record(
                actor=actor, action=AuditAction.UPDATE, target=policy, message="unchanged"
            )
    return policy
