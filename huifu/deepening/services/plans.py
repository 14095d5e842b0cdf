"""Plans: drafting, submission and review, execution, completion and close.

Every function takes ``actor`` (None = the system), checks the actor's right, refuses illegal
state moves with ``DeepeningStateError`` whoever asks, and runs in one transaction with one audit
entry on the plan. Stage deadlines live in ``huifu.tracking`` (one tracked item per stage):

    review      kind ``deepening_review``    on the submission round, Member Management, 10 working days
    revision    kind ``deepening_revision``  on the returned round, the member, 10 working days
    execution   kind ``deepening_execution`` on the plan, the member, until the plan period ends
    close-out   kind ``deepening_closeout``  on the plan, Member Management, 20 working days
                (invoices, payment through huifu.budget, then close)

Money: approval commits the approved amount from a budget pool (``huifu.budget``: a pool that
cannot cover it refuses, with the pool's message); closing releases whatever was not paid.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_transition, audit_update, snapshot
from huifu.core.permissions import require
from huifu.core.texts import stored_text
from huifu.directory.models import Department, DepartmentKind
from huifu.files.services import file_store
from huifu.tracking.models import DeadlineRule
from huifu.tracking.services import tracked_close, tracked_for, tracked_open

from ..models import (
    PLAN_TRANSITIONS,
    ActivityEvidence,
    ActivityKind,
    ActivityStatus,
    BudgetLine,
    DeepeningPlan,
    EnterpriseProfile,
    PlanEnterprise,
    PlanEvent,
    PlanEventKind,
    PlannedActivity,
    PlanStatus,
    PlanSubmission,
    SupervisionNote,
)
from .common import DeepeningStateError, text

EVIDENCE_PURPOSE = "deepening_evidence"
REVIEW_KIND, REVISION_KIND = "deepening_review", "deepening_revision"
EXECUTION_KIND, CLOSEOUT_KIND = "deepening_execution", "deepening_closeout"
REVIEW_WORKING_DAYS = 10
REVISION_WORKING_DAYS = 10
CLOSEOUT_WORKING_DAYS = 20
PLAN_FIELDS = ("title", "year", "objectives", "period_start", "period_end")


# --- helpers ------------------------------------------------------------------------------------


def _lock(plan: DeepeningPlan) -> DeepeningPlan:
    return DeepeningPlan.objects.select_for_update().select_related("member").get(pk=plan.pk)


def _guard(plan: DeepeningPlan, target: str) -> None:
    if target not in PLAN_TRANSITIONS.get(plan.status, frozenset()):
        raise DeepeningStateError(
            _("A plan that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": plan.get_status_display(), "target": PlanStatus(target).label},
        )


def _guard_editable(plan: DeepeningPlan) -> None:
    if not plan.is_editable:
        raise DeepeningStateError(
            _("Only a draft or a plan returned for revision can be changed; this plan is “%(status)s”."),
            code="not_editable",
            params={"status": plan.get_status_display()},
        )


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(plan: DeepeningPlan, kind: str, actor: Any, note: str = "", activity: Any = None) -> None:
    PlanEvent.objects.create(plan=plan, kind=kind, actor=_actor_or_none(actor), note=note, activity=activity)


def _move(plan: DeepeningPlan, target: str, actor: Any, event: str, note: str = "", fields: Iterable[str] = ()) -> None:
    source = plan.status
    plan.status = target
    plan.save(update_fields=["status", "updated_at", *fields])
    _event(plan, event, actor, note)
    audit_transition(actor=actor, target=plan, source=source, target_state=target, message=note[:500])


def _coordinator_department() -> Department | None:
    return Department.objects.filter(kind=DepartmentKind.COORDINATOR, is_active=True).order_by("sort_order").first()


def _open_stage(
    plan: DeepeningPlan,
    *,
    target: Any,
    kind: str,
    title: str,
    at: Any,
    amount: int,
    actor: Any,
    rule: str = DeadlineRule.WORKING_DAYS,
    department: Any = None,
) -> None:
    """Start the clock of one stage of ``plan`` (the calling service writes the audit entry)."""
    tracked_open(
        target=target,
        kind=kind,
        title=title,
        url=plan.get_absolute_url(),
        received_at=at,
        rule=rule,
        amount=amount,
        organisation=plan.member,
        department=department,
        topic="deepening",
        actor=actor,
        audit=False,
    )


def _close_stage(target: Any, kind: str, actor: Any) -> None:
    item = tracked_for(target, kind)
    if item is not None and item.is_open:
        tracked_close(item=item, actor=actor, audit=False)


def _clean_plan(plan: DeepeningPlan) -> None:
    errors: dict[str, str] = {}
    plan.title, plan.objectives = text(plan.title), text(plan.objectives)
    if not plan.title:
        errors["title"] = _("Give the plan a title.")
    if not plan.objectives:
        errors["objectives"] = _("Describe what the plan aims to achieve.")
    try:
        year = int(plan.year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = _("Enter the year of the plan, e.g. 2023.")
    plan.year = year
    if not isinstance(plan.period_start, datetime.date):
        errors["period_start"] = _("Enter the date the plan starts.")
    if not isinstance(plan.period_end, datetime.date):
        errors["period_end"] = _("Enter the date the plan ends.")
    elif isinstance(plan.period_start, datetime.date) and plan.period_end < plan.period_start:
        errors["period_end"] = _("The plan cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


# --- drafting -------------------------------------------------------------------------------------


def plan_create(
    *,
    actor: Any | None,
    title: str,
    year: int,
    objectives: str,
    period_start: datetime.date,
    period_end: datetime.date,
    member: Any = None,
) -> DeepeningPlan:
    """Draft a plan for the actor's company (``member`` for the system)."""
    require(actor, "deepening.add_plan")
    member = member or getattr(actor, "organisation", None)
    if member is None:
        raise ValidationError({"member": _("A plan belongs to a futures company member.")})
    plan = DeepeningPlan(
        member=member,
        title=title,
        year=year,
        objectives=objectives,
        period_start=period_start,
        period_end=period_end,
        created_by=_actor_or_none(actor),
    )
    _clean_plan(plan)
    with transaction.atomic():
        plan.save()
        _event(plan, PlanEventKind.CREATED, actor)
        audit_create(actor=actor, target=plan)
    return plan


def plan_update(*, actor: Any | None, plan: DeepeningPlan, **fields: Any) -> DeepeningPlan:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        before = snapshot(plan, PLAN_FIELDS)
        for name, value in fields.items():
            setattr(plan, name, value)
        _clean_plan(plan)
        plan.save()
        audit_update(actor=actor, target=plan, before=before)
    return plan


def _part_changed(plan: DeepeningPlan, actor: Any, part: str, before: Any, after: Any, message: str) -> None:
    audit_record(actor=actor, action=AuditAction.UPDATE, target=plan, changes={part: [before, after]}, message=message)


def plan_enterprise_add(
    *, actor: Any | None, plan: DeepeningPlan, profile: EnterpriseProfile, objectives: str
) -> PlanEnterprise:
    """Put one of the member's enterprise profiles in the plan with its objectives."""
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        errors: dict[str, str] = {}
        if profile.member_id != plan.member_id:
            errors["profile"] = _("Choose one of your own enterprise profiles.")
        elif PlanEnterprise.objects.filter(plan=plan, profile=profile).exists():
            errors["profile"] = _("This enterprise is already in the plan.")
        if not text(objectives):
            errors["objectives"] = _("Say what the plan aims at for this enterprise.")
        if errors:
            raise ValidationError(errors)
        entry = PlanEnterprise.objects.create(plan=plan, profile=profile, objectives=text(objectives))
        _part_changed(plan, actor, "enterprises", None, str(profile), "enterprise added")
    return entry


def plan_enterprise_remove(*, actor: Any | None, entry: PlanEnterprise) -> None:
    with transaction.atomic():
        plan = _lock(entry.plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        name = str(entry.profile)
        entry.delete()
        _part_changed(plan, actor, "enterprises", name, None, "enterprise removed")


def plan_activity_add(
    *,
    actor: Any | None,
    plan: DeepeningPlan,
    kind: str,
    title: str,
    planned_date: datetime.date,
    plan_enterprise: PlanEnterprise | None = None,
    description: str = "",
) -> PlannedActivity:
    """Plan a training, seminar or exchange within the plan's period."""
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        errors: dict[str, str] = {}
        if kind not in ActivityKind.values:
            errors["kind"] = _("Choose the kind of activity.")
        if not text(title):
            errors["title"] = _("Give the activity a title.")
        if not isinstance(planned_date, datetime.date):
            errors["planned_date"] = _("Enter the planned date.")
        elif not plan.period_start <= planned_date <= plan.period_end:
            errors["planned_date"] = _("The date must fall within the plan's period (%(start)s – %(end)s).") % {
                "start": plan.period_start,
                "end": plan.period_end,
            }
        if plan_enterprise is not None and plan_enterprise.plan_id != plan.pk:
            errors["plan_enterprise"] = _("Choose an enterprise of this plan.")
        if errors:
            raise ValidationError(errors)
        activity = PlannedActivity.objects.create(
            plan=plan,
            kind=kind,
            title=text(title),
            planned_date=planned_date,
            plan_enterprise=plan_enterprise,
            description=text(description),
        )
        _part_changed(plan, actor, "activities", None, f"{planned_date} {activity.title}", "activity planned")
    return activity


def plan_activity_remove(*, actor: Any | None, activity: PlannedActivity) -> None:
    with transaction.atomic():
        plan = _lock(activity.plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        label = f"{activity.planned_date} {activity.title}"
        activity.delete()
        _part_changed(plan, actor, "activities", label, None, "activity removed")


def budget_line_add(*, actor: Any | None, plan: DeepeningPlan, item: str, amount: Any, note: str = "") -> BudgetLine:
    """Add a requested budget line (CNY, exact to the fen)."""
    from huifu.budget.money import clean_money

    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        if not text(item):
            raise ValidationError({"item": _("Say what the money is for.")})
        value = clean_money(amount)
        line = BudgetLine.objects.create(plan=plan, item=text(item)[:200], amount=value, note=text(note)[:300])
        _part_changed(plan, actor, "budget_lines", None, f"{line.item} {value}", "budget line added")
    return line


def budget_line_remove(*, actor: Any | None, line: BudgetLine) -> None:
    with transaction.atomic():
        plan = _lock(line.plan)
        require(actor, "deepening.change_plan", plan)
        _guard_editable(plan)
        label = f"{line.item} {line.amount}"
        line.delete()
        _part_changed(plan, actor, "budget_lines", label, None, "budget line removed")


# --- submission and review ------------------------------------------------------------------------


def _requested(plan: DeepeningPlan) -> Decimal:
    return sum((line.amount for line in plan.budget_lines.all()), Decimal("0.00"))


def plan_submit(*, actor: Any | None, plan: DeepeningPlan) -> PlanSubmission:
    """Submit a draft, or resubmit a returned plan: a new round whose review is due in
    ``REVIEW_WORKING_DAYS`` working days (Member Management). Needs at least one enterprise and
    one planned activity."""
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.submit_plan", plan)
        _guard(plan, PlanStatus.SUBMITTED)
        errors: dict[str, str] = {}
        if not plan.enterprises.exists():
            errors["enterprises"] = _("Add at least one enterprise before submitting.")
        if not plan.activities.exists():
            errors["activities"] = _("Plan at least one training, seminar or exchange before submitting.")
        if errors:
            raise ValidationError(errors)
        resubmission = plan.status == PlanStatus.RETURNED
        if resubmission:
            last = plan.submissions.order_by("-number").first()
            if last is not None:
                _close_stage(last, REVISION_KIND, actor)
        number = (plan.submissions.aggregate(m=Max("number"))["m"] or 0) + 1
        now = timezone.now()
        submission = PlanSubmission.objects.create(
            plan=plan,
            number=number,
            submitted_at=now,
            submitted_by=_actor_or_none(actor),
            requested_amount=_requested(plan),
        )
        plan.submitted_at = now
        _open_stage(
            plan,
            target=submission,
            kind=REVIEW_KIND,
            title=_("Review deep-cultivation plan: %(title)s") % {"title": plan.title},
            at=now,
            amount=REVIEW_WORKING_DAYS,
            actor=actor,
            department=_coordinator_department(),
        )
        note = _("Round %(n)s, %(amount)s CNY requested") % {"n": number, "amount": submission.requested_amount}
        _move(plan, PlanStatus.SUBMITTED, actor, PlanEventKind.SUBMITTED, note, fields=["submitted_at"])
    return submission


def _current_round(plan: DeepeningPlan) -> PlanSubmission:
    return plan.submissions.select_for_update().order_by("-number").first()


def plan_return(*, actor: Any | None, plan: DeepeningPlan, comment: str) -> DeepeningPlan:
    """Send a submitted plan back to the member with comments; the member has
    ``REVISION_WORKING_DAYS`` working days to resubmit."""
    comment = text(comment)
    if not comment:
        raise ValidationError({"comment": _("Say what needs to change.")})
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.review_plan", plan)
        _guard(plan, PlanStatus.RETURNED)
        submission = _current_round(plan)
        now = timezone.now()
        submission.returned_at, submission.return_comment = now, comment
        submission.save(update_fields=["returned_at", "return_comment"])
        _close_stage(submission, REVIEW_KIND, actor)
        _open_stage(
            plan,
            target=submission,
            kind=REVISION_KIND,
            title=_("Revise and resubmit: %(title)s") % {"title": plan.title},
            at=now,
            amount=REVISION_WORKING_DAYS,
            actor=actor,
        )
        _move(plan, PlanStatus.RETURNED, actor, PlanEventKind.RETURNED, comment)
    return plan


def plan_approve(
    *,
    actor: Any | None,
    plan: DeepeningPlan,
    pool: Any,
    amount: Any,
    selected_profile_ids: Iterable[int] | None = None,
    note: str = "",
) -> DeepeningPlan:
    """Select the plan (and, of its enterprises, ``selected_profile_ids``; all when None) and
    commit ``amount`` from ``pool``. The budget refuses an amount the pool cannot cover
    (ValidationError on ``amount`` naming the pool and what is left); nothing changes then."""
    from huifu.budget.money import clean_money
    from huifu.budget.services import allocation_approve

    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.review_plan", plan)
        _guard(plan, PlanStatus.APPROVED)
        if pool is None:
            raise ValidationError({"pool": _("Choose the budget pool that funds the plan.")})
        value = clean_money(amount, allow_zero=True)
        entries = list(plan.enterprises.select_related("profile__enterprise"))
        chosen = (
            {e.profile_id for e in entries} if selected_profile_ids is None else {int(i) for i in selected_profile_ids}
        )
        if not chosen & {e.profile_id for e in entries}:
            raise ValidationError({"selected_profile_ids": _("Select at least one enterprise of the plan.")})
        requested = _requested(plan)
        allocation = allocation_approve(
            pool=pool,
            target=plan,
            organisation=plan.member,
            amount=value,
            actor=actor,
            requested_amount=requested,
            title=f"{plan.member} · {plan.title}",
        )
        for entry in entries:
            entry.selected = entry.profile_id in chosen
            entry.save(update_fields=["selected"])
        now = timezone.now()
        plan.approved_amount, plan.allocation_id = value, allocation.pk
        plan.decided_at, plan.decided_by, plan.decision_note = now, _actor_or_none(actor), text(note)
        submission = _current_round(plan)
        if submission is not None:
            _close_stage(submission, REVIEW_KIND, actor)
        days = max((plan.period_end - timezone.localdate()).days, 0)
        _open_stage(
            plan,
            target=plan,
            kind=EXECUTION_KIND,
            title=_("Carry out deep-cultivation plan: %(title)s") % {"title": plan.title},
            at=now,
            amount=days,
            actor=actor,
            rule=DeadlineRule.CALENDAR_DAYS,
        )
        from huifu.budget.money import yuan

        # Stored as a message key: the timeline reads it in each reader's language (issue #10).
        message = stored_text("%(amount)s CNY approved from %(pool)s", amount=yuan(value), pool=str(pool))
        if text(note):
            message = f"{message}. {text(note)}"
        _move(
            plan,
            PlanStatus.APPROVED,
            actor,
            PlanEventKind.APPROVED,
            message,
            fields=["approved_amount", "allocation_id", "decided_at", "decided_by", "decision_note"],
        )
    return plan


def plan_reject(*, actor: Any | None, plan: DeepeningPlan, reason: str) -> DeepeningPlan:
    reason = text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the plan.")})
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.review_plan", plan)
        _guard(plan, PlanStatus.REJECTED)
        submission = _current_round(plan)
        if submission is not None:
            _close_stage(submission, REVIEW_KIND, actor)
        plan.decided_at, plan.decided_by, plan.decision_note = timezone.now(), _actor_or_none(actor), reason
        _move(
            plan,
            PlanStatus.REJECTED,
            actor,
            PlanEventKind.REJECTED,
            reason,
            fields=["decided_at", "decided_by", "decision_note"],
        )
    return plan


# --- execution ------------------------------------------------------------------------------------


def activity_report(
    *,
    actor: Any | None,
    activity: PlannedActivity,
    done: bool = True,
    done_date: datetime.date | None = None,
    attendance: int | None = None,
    report: str = "",
    files: Iterable[Any] = (),
) -> PlannedActivity:
    """Report a planned activity as done (date, attendance, report, evidence files) or cancelled
    (``done=False``, with the reason in ``report``). The first report starts the plan (approved
    → in progress). Evidence files are stored for the member and readable by whoever sees the plan."""
    with transaction.atomic():
        plan = _lock(activity.plan)
        activity = PlannedActivity.objects.select_for_update().get(pk=activity.pk)
        require(actor, "deepening.report_progress", plan)
        if plan.status not in (PlanStatus.APPROVED, PlanStatus.IN_PROGRESS):
            raise DeepeningStateError(
                _("Progress is reported while the plan runs; this plan is “%(status)s”."),
                code="not_running",
                params={"status": plan.get_status_display()},
            )
        if activity.status != ActivityStatus.PLANNED:
            raise DeepeningStateError(_("This activity has already been reported."), code="already_reported")
        errors: dict[str, str] = {}
        report = text(report)
        if done:
            if not isinstance(done_date, datetime.date):
                errors["done_date"] = _("Enter the date the activity took place.")
            elif done_date > timezone.localdate():
                errors["done_date"] = _("The date cannot be in the future.")
            if attendance is None or int(attendance) < 0:
                errors["attendance"] = _("Enter how many people attended.")
        elif not report:
            errors["report"] = _("Say why the activity was cancelled.")
        if errors:
            raise ValidationError(errors)
        activity.status = ActivityStatus.DONE if done else ActivityStatus.CANCELLED
        activity.done_date = done_date if done else None
        activity.attendance = int(attendance) if done else None
        activity.report = report
        activity.reported_at, activity.reported_by = timezone.now(), _actor_or_none(actor)
        activity.save()
        names = []
        for upload in files or ():
            stored = file_store(upload=upload, actor=actor, organisation=plan.member, purpose=EVIDENCE_PURPOSE)
            ActivityEvidence.objects.create(activity=activity, file=stored)
            names.append(stored.original_name)
        label = f"{activity.title}: {activity.get_status_display()}"
        changes: dict[str, Any] = {"activity": [None, label]}
        if names:
            changes["evidence"] = [None, names]
        if plan.status == PlanStatus.APPROVED:
            changes["status"] = [plan.status, PlanStatus.IN_PROGRESS]
            plan.status = PlanStatus.IN_PROGRESS
            plan.save(update_fields=["status", "updated_at"])
        _event(plan, PlanEventKind.PROGRESS, actor, label, activity=activity)
        audit_record(actor=actor, action=AuditAction.UPDATE, target=plan, changes=changes, message="progress reported")
    return activity


def plan_complete(*, actor: Any | None, plan: DeepeningPlan, summary: str) -> DeepeningPlan:
    """The member declares the plan carried out (every activity reported done or cancelled).
    Costs follow: invoices and payment through the plan's budget allocation, then close-out by
    Member Management within ``CLOSEOUT_WORKING_DAYS`` working days."""
    summary = text(summary)
    if not summary:
        raise ValidationError({"summary": _("Summarise what the plan achieved.")})
    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.complete_plan", plan)
        _guard(plan, PlanStatus.COMPLETED)
        open_count = plan.activities.filter(status=ActivityStatus.PLANNED).count()
        if open_count:
            raise ValidationError(
                {"summary": _("%(n)s planned activities have not been reported yet.") % {"n": open_count}}
            )
        now = timezone.now()
        plan.completion_summary, plan.completed_at = summary, now
        _close_stage(plan, EXECUTION_KIND, actor)
        _open_stage(
            plan,
            target=plan,
            kind=CLOSEOUT_KIND,
            title=_("Settle costs and close: %(title)s") % {"title": plan.title},
            at=now,
            amount=CLOSEOUT_WORKING_DAYS,
            actor=actor,
            department=_coordinator_department(),
        )
        _move(
            plan,
            PlanStatus.COMPLETED,
            actor,
            PlanEventKind.COMPLETED,
            summary[:500],
            fields=["completion_summary", "completed_at"],
        )
    return plan


def plan_close(*, actor: Any | None, plan: DeepeningPlan, note: str = "") -> DeepeningPlan:
    """Close a completed plan. Any approved money not paid by then returns to the pool."""
    from huifu.budget.services import allocation_release_for

    with transaction.atomic():
        plan = _lock(plan)
        require(actor, "deepening.close_plan", plan)
        _guard(plan, PlanStatus.CLOSED)
        allocation_release_for(target=plan, actor=actor, reason=_("Plan closed"))
        plan.closed_at = timezone.now()
        _close_stage(plan, CLOSEOUT_KIND, actor)
        _move(plan, PlanStatus.CLOSED, actor, PlanEventKind.CLOSED, text(note), fields=["closed_at"])
    return plan


def plan_payment_recorded(plan: DeepeningPlan, allocation: Any, actor: Any) -> None:
    """Budget hook (same transaction as the payment): put the payment on the plan's timeline."""
    from huifu.budget.money import yuan
    from huifu.budget.services import allocation_paid

    PlanEvent.objects.create(
        plan=plan,
        kind=PlanEventKind.PAYMENT,
        actor=_actor_or_none(actor),
        note=stored_text(
            "Paid so far: %(paid)s of %(approved)s CNY",
            paid=yuan(allocation_paid(allocation)),
            approved=yuan(allocation.approved_amount),
        ),
    )


# --- supervision ----------------------------------------------------------------------------------


def supervision_note_add(*, actor: Any, plan: DeepeningPlan, body: str) -> SupervisionNote:
    """A regulator of the plan's region writes a supervision note (append-only)."""
    require(actor, "deepening.add_supervision_note", plan)
    body = text(body)
    if not body:
        raise ValidationError({"body": _("Write the note.")})
    with transaction.atomic():
        note = SupervisionNote.objects.create(plan=plan, author=actor, bureau=actor.organisation, body=body)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=plan,
            changes={"supervision_note": [None, body[:200]]},
            message="supervision note",
        )
    return note
