"""Participations: apply/file → review → tracking → acceptance → (closing application → review).

Deadlines run through ``huifu.tracking`` on the working-day calendar: one tracked item per
exchange-side stage (``participation_review``, ``participation_acceptance``,
``participation_closing``), opened when the member hands something in and closed when the
exchange decides. The member is e-mailed (outbox, after commit) on every decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_transition
from huifu.core.http import absolute_url
from huifu.core.permissions import require
from huifu.files.services import file_store
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.models import translatable
from huifu.notifications.services import notify
from huifu.tracking.models import DeadlineRule, TrackedStatus
from huifu.tracking.services import tracked_close, tracked_for, tracked_open, tracked_pause, tracked_resume

from ..models import (
    PARTICIPATION_TRANSITIONS,
    AcceptanceResult,
    DecisionOutcome,
    Participation,
    ParticipationAttachment,
    ParticipationDecision,
    ParticipationReport,
    ParticipationStatus,
    Project,
    ProjectStatus,
    ReportKind,
    Stage,
)
from .projects import IncentiveStateError

PARTICIPATION_FILE_PURPOSE = "incentive_participation"
KIND_REVIEW = "participation_review"
KIND_ACCEPTANCE = "participation_acceptance"
KIND_CLOSING = "participation_closing"
MAIL_TOPIC = "incentive_participation"


def _lock(participation: Participation) -> Participation:
    return Participation.objects.select_for_update().select_related("project", "organisation").get(pk=participation.pk)


def _guard(participation: Participation, target: str) -> None:
    if target not in PARTICIPATION_TRANSITIONS.get(participation.status, frozenset()):
        raise IncentiveStateError(
            _("A participation that is “%(status)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"status": participation.get_status_display(), "target": ParticipationStatus(target).label},
        )


def _move(participation: Participation, target: str, actor: Any | None, message: str = "") -> None:
    source = participation.status
    participation.status = target
    participation.save()
    audit_transition(actor=actor, target=participation, source=source, target_state=target, message=message[:500])


def _store_files(participation: Participation, uploads: Iterable[Any], actor: Any | None, report: Any = None) -> None:
    for upload in uploads or ():
        stored = file_store(
            upload=upload, actor=actor, organisation=participation.organisation, purpose=PARTICIPATION_FILE_PURPOSE
        )
        ParticipationAttachment.objects.create(participation=participation, report=report, file=stored)


def _open_stage(participation: Participation, kind: str, days: int, title: str, actor: Any | None) -> None:
    tracked_open(
        target=participation,
        kind=kind,
        title=title,
        url=participation.get_absolute_url(),
        received_at=timezone.now(),
        rule=DeadlineRule.WORKING_DAYS,
        amount=days,
        organisation=participation.organisation,
        department=participation.project.department,
        topic=participation.project.code,
        actor=actor,
        audit=False,
    )


def _close_stage(participation: Participation, kind: str, actor: Any | None, cancelled: bool = False) -> None:
    item = tracked_for(participation, kind)
    if item is not None and item.status in TrackedStatus.open_group():
        tracked_close(item=item, actor=actor, cancelled=cancelled, audit=False)


def _resume_or_open_stage(participation: Participation, kind: str, days: int, title: str, actor: Any | None) -> None:
    """A stage handed in (again): open its clock, or resume the clock paused when the exchange
    returned the submission to the member (the due date moves by the paused time)."""
    item = tracked_for(participation, kind)
    if item is None:
        _open_stage(participation, kind, days, title, actor)
    elif item.status == TrackedStatus.PAUSED:
        tracked_resume(item=item, actor=actor, audit=False)


def _pause_stage(participation: Participation, kind: str, reason: str, actor: Any | None) -> None:
    item = tracked_for(participation, kind)
    if item is not None and item.status == TrackedStatus.OPEN:
        tracked_pause(item=item, reason=reason[:200] or "returned", actor=actor, audit=False)


def _decide(participation: Participation, stage: str, outcome: str, comment: str, actor: Any | None) -> None:
    if actor is None:
        raise ValidationError(_("A decision needs a reviewer."))
    ParticipationDecision.objects.create(
        participation=participation,
        stage=stage,
        outcome=outcome,
        comment=(comment or "").strip(),
        decided_by=actor,
        decided_at=timezone.now(),
    )


def _notify(participation: Participation, subject: str, body: str, outcome: Any = "") -> None:
    """Tell the person who submitted the participation: in the notification centre (read in
    their language; ``outcome`` a lazy choice label, translated when read) and by e-mail unless they turned it off (after
    commit, via the outbox)."""
    user = participation.submitted_by
    if not user.is_active:
        return
    url = absolute_url(participation.get_absolute_url())
    notify(
        recipient=user,
        kind=notification_kinds.DECISION,
        message=DECISION_MESSAGE,
        params={"project": participation.project.name_zh, "outcome": translatable(outcome)},
        url=participation.get_absolute_url(),
        organisation=participation.organisation,
        mail={
            "to": user.email,
            "subject": subject,
            "body_text": f"{body}\n{url}\n",
            "organisation": participation.organisation,
            "topic": MAIL_TOPIC,
        }
        if user.email
        else None,
    )


# The in-app line, read in the reader's language (the outcome too): the mail's subject.
DECISION_MESSAGE = "[Incentive project] %(project)s: %(outcome)s"


def _mail_decision(participation: Participation, outcome_label: Any, comment: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Incentive project] %(project)s: %(outcome)s") % {
            "project": participation.project.name_zh,
            "outcome": outcome_label,
        }
        body = _("Project: %(project)s\nOutcome: %(outcome)s\nComments: %(comment)s\n") % {
            "project": f"{participation.project.code} {participation.project.name_zh}",
            "outcome": outcome_label,
            "comment": comment or "—",
        }
        _notify(participation, subject, body, outcome=outcome_label)


# --- member operations -------------------------------------------------------------------------


def participation_submit(
    *,
    actor: Any,
    project: Project,
    plan: str,
    products: Iterable[Any] = (),
    uploads: Iterable[Any] = (),
    topic: str = "",
) -> Participation:
    """Apply for (or file) ``project`` for the actor's organisation, with a plan, target
    products (a non-empty subset of the project's products) and supporting files. Starts the
    review deadline. One live participation per project and organisation.

    A research project (kind ``research``, universities only) takes a ``topic`` instead of
    products; the rest of the flow is the same."""
    require(actor, "incentives.apply_project", project)
    errors: dict[str, str] = {}
    plan = (plan or "").strip()
    topic = (topic or "").strip()
    products = list(products)
    project = Project.objects.get(pk=project.pk)  # the current status, not a caller's stale copy
    if project.status != ProjectStatus.OPEN:
        raise IncentiveStateError(_("This project is not open for applications."), code="project_not_open")
    if not plan:
        errors["plan"] = _("Describe your plan.")
    if project.is_research:
        if not topic:
            errors["topic"] = _("Give the research topic.")
        elif len(topic) > 200:
            errors["topic"] = _("Keep the topic to 200 characters.")
        if products:
            errors["products"] = _("A research project covers no products.")
    elif not products:
        errors["products"] = _("Choose at least one product.")
    else:
        covered = set(project.products.values_list("pk", flat=True))
        outside = sorted(p.code for p in products if p.pk not in covered)
        if outside:
            errors["products"] = _("The project does not cover: %(codes)s.") % {"codes": ", ".join(outside)}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                project=project,
                organisation=actor.organisation,
                status=ParticipationStatus.SUBMITTED,
                entry_mode=project.entry_mode,
                plan=plan,
                topic=topic if project.is_research else "",
                submitted_by=actor,
                submitted_at=timezone.now(),
            )
            participation.products.set(products)
            _store_files(participation, uploads, actor)
            audit_create(actor=actor, target=participation)
            _open_stage(
                participation,
                KIND_REVIEW,
                project.review_working_days,
                _("Review %(kind)s: %(project)s · %(org)s")
                % {
                    "kind": participation.get_entry_mode_display(),
                    "project": project.code,
                    "org": participation.organisation,
                },
                actor,
            )
    except IntegrityError:
        raise ValidationError(
            {"project": _("Your organisation already takes part in this project.")}, code="duplicate"
        ) from None
    return participation


@transaction.atomic
def participation_withdraw(*, actor: Any, participation: Participation, reason: str) -> Participation:
    """The member withdraws before review or during tracking. Open deadlines are cancelled."""
    require(actor, "incentives.report_participation", participation)
    participation = _lock(participation)
    _guard(participation, ParticipationStatus.WITHDRAWN)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you withdraw.")})
    _close_stage(participation, KIND_REVIEW, actor, cancelled=True)
    _close_stage(participation, KIND_ACCEPTANCE, actor, cancelled=True)
    _move(participation, ParticipationStatus.WITHDRAWN, actor, reason)
    return participation


@transaction.atomic
def participation_report(
    *, actor: Any, participation: Participation, text: str, uploads: Iterable[Any] = ()
) -> ParticipationReport:
    """A progress report with evidence while the participation is tracked."""
    require(actor, "incentives.report_participation", participation)
    participation = _lock(participation)
    if participation.status != ParticipationStatus.TRACKING:
        raise IncentiveStateError(
            _("Progress reports are accepted only while the participation is tracked."), code="not_tracking"
        )
    return _add_report(participation, ReportKind.PROGRESS, text, uploads, actor)


def _add_report(
    participation: Participation, kind: str, text: str, uploads: Iterable[Any], actor: Any
) -> ParticipationReport:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the report.")})
    report = ParticipationReport.objects.create(
        participation=participation, kind=kind, text=text, author=actor, submitted_at=timezone.now()
    )
    _store_files(participation, uploads, actor, report=report)
    audit_create(actor=actor, target=report)
    return report


@transaction.atomic
def participation_submit_results(
    *, actor: Any, participation: Participation, text: str, uploads: Iterable[Any] = ()
) -> Participation:
    """Hand in the results for acceptance (成果验收); starts the acceptance deadline."""
    require(actor, "incentives.report_participation", participation)
    participation = _lock(participation)
    _guard(participation, ParticipationStatus.ACCEPTANCE_REVIEW)
    _add_report(participation, ReportKind.RESULTS, text, uploads, actor)
    _move(participation, ParticipationStatus.ACCEPTANCE_REVIEW, actor)
    _resume_or_open_stage(
        participation,
        KIND_ACCEPTANCE,
        participation.project.acceptance_working_days,
        _("Acceptance: %(project)s · %(org)s")
        % {"project": participation.project.code, "org": participation.organisation},
        actor,
    )
    return participation


@transaction.atomic
def participation_apply_closing(
    *, actor: Any, participation: Participation, text: str, uploads: Iterable[Any] = ()
) -> Participation:
    """Apply for closing (结项申请), only for projects that require it, after acceptance."""
    require(actor, "incentives.report_participation", participation)
    participation = _lock(participation)
    if not participation.project.requires_closing:
        raise IncentiveStateError(_("This project has no closing application."), code="no_closing")
    _guard(participation, ParticipationStatus.CLOSING_REVIEW)
    _add_report(participation, ReportKind.CLOSING, text, uploads, actor)
    _move(participation, ParticipationStatus.CLOSING_REVIEW, actor)
    _resume_or_open_stage(
        participation,
        KIND_CLOSING,
        participation.project.closing_working_days,
        _("Closing review: %(project)s · %(org)s")
        % {"project": participation.project.code, "org": participation.organisation},
        actor,
    )
    return participation


# --- exchange decisions -------------------------------------------------------------------------


@transaction.atomic
def participation_review(
    *,
    actor: Any,
    participation: Participation,
    approve: bool,
    comment: str = "",
    joined_on: datetime.date | None = None,
) -> Participation:
    """Approve (→ tracking) or reject an application/filing, with comments.

    Approval sets ``joined_on`` (default: the later of today and the period start; a chosen
    date must lie in the project period) and the effective period ``joined_on … period_end``.
    Rejection needs a comment."""
    require(actor, "incentives.decide_participation", participation)
    participation = _lock(participation)
    project = participation.project
    target = ParticipationStatus.TRACKING if approve else ParticipationStatus.REJECTED
    _guard(participation, target)
    comment = (comment or "").strip()
    if approve:
        if joined_on is None:
            joined_on = max(timezone.localdate(), project.period_start)
        if not (project.period_start <= joined_on <= project.period_end):
            raise ValidationError(
                {
                    "joined_on": _("The joining date must lie in the project period %(start)s – %(end)s.")
                    % {"start": project.period_start, "end": project.period_end}
                }
            )
        participation.joined_on = joined_on
        participation.effective_from = joined_on
        participation.effective_to = project.period_end
    elif not comment:
        raise ValidationError({"comment": _("Give the reason for rejecting.")})
    outcome = DecisionOutcome.APPROVED if approve else DecisionOutcome.REJECTED
    _decide(participation, Stage.REVIEW, outcome, comment, actor)
    _close_stage(participation, KIND_REVIEW, actor)
    _move(participation, target, actor, comment)
    _mail_decision(participation, DecisionOutcome(outcome).label, comment)
    return participation


@transaction.atomic
def participation_return_for_work(*, actor: Any, participation: Participation, comment: str) -> Participation:
    """Send results back to tracking with comments (the member hands them in again)."""
    require(actor, "incentives.decide_participation", participation)
    participation = _lock(participation)
    _guard(participation, ParticipationStatus.TRACKING)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what is missing.")})
    _decide(participation, Stage.ACCEPTANCE, DecisionOutcome.RETURNED, comment, actor)
    _pause_stage(participation, KIND_ACCEPTANCE, comment, actor)
    _move(participation, ParticipationStatus.TRACKING, actor, comment)
    _mail_decision(participation, DecisionOutcome.RETURNED.label, comment)
    return participation


@transaction.atomic
def participation_accept(
    *,
    actor: Any,
    participation: Participation,
    result: str,
    notes: str = "",
    payout_ratio: Decimal | None = None,
    effective_from: datetime.date | None = None,
    effective_to: datetime.date | None = None,
    award_amount: Decimal | None = None,
) -> Participation:
    """Record the acceptance result (成果验收).

    * ``accepted``: payout ratio 1 (unless given);
    * ``partial``: a payout ratio strictly between 0 and 1 is required;
    * ``failed``: terminal, earns nothing; notes required.
    The effective period may be narrowed inside the approved one. ``award_amount`` defaults
    to the project's fixed award × payout ratio (service projects)."""
    require(actor, "incentives.decide_participation", participation)
    participation = _lock(participation)
    if result not in AcceptanceResult.values:
        raise ValidationError({"result": _("Choose accepted, partially accepted or failed.")})
    target = ParticipationStatus.FAILED if result == AcceptanceResult.FAILED else ParticipationStatus.ACCEPTED
    _guard(participation, target)
    notes = (notes or "").strip()
    errors: dict[str, str] = {}
    if result == AcceptanceResult.ACCEPTED:
        payout_ratio = Decimal("1") if payout_ratio is None else Decimal(payout_ratio)
        if payout_ratio != 1:
            errors["payout_ratio"] = _("A fully accepted participation is paid in full (ratio 1).")
    elif result == AcceptanceResult.PARTIAL:
        if payout_ratio is None or not (Decimal("0") < Decimal(payout_ratio) < Decimal("1")):
            errors["payout_ratio"] = _("Give the share paid for a partial acceptance, between 0 and 1, e.g. 0.5.")
        if not notes:
            errors["notes"] = _("Say what was not achieved.")
    else:
        payout_ratio = None
        if not notes:
            errors["notes"] = _("Say why the results are not accepted.")
    start = effective_from or participation.effective_from
    end = effective_to or participation.effective_to
    if start < participation.effective_from or end > participation.effective_to:
        errors["effective_from"] = _("The effective period may only be narrowed inside %(start)s – %(end)s.") % {
            "start": participation.effective_from,
            "end": participation.effective_to,
        }
    elif end < start:
        errors["effective_to"] = _("The effective period must end on or after its start.")
    if award_amount is not None and award_amount < 0:
        errors["award_amount"] = _("The amount must not be negative.")
    if errors:
        raise ValidationError(errors)
    if award_amount is None and result != AcceptanceResult.FAILED and participation.project.award_per_result:
        award_amount = (participation.project.award_per_result * payout_ratio).quantize(Decimal("0.01"))
    participation.result = result
    participation.result_notes = notes
    participation.payout_ratio = payout_ratio
    participation.effective_from = start
    participation.effective_to = end
    participation.award_amount = award_amount if result != AcceptanceResult.FAILED else None
    participation.accepted_at = timezone.now()
    _decide(participation, Stage.ACCEPTANCE, DecisionOutcome(result), notes, actor)
    _close_stage(participation, KIND_ACCEPTANCE, actor)
    _move(participation, target, actor, notes)
    _mail_decision(participation, AcceptanceResult(result).label, notes)
    return participation


@transaction.atomic
def participation_closing_review(
    *, actor: Any, participation: Participation, approve: bool, comment: str = ""
) -> Participation:
    """Closing review (结项评审): approve (→ closed) or return to accepted with comments."""
    require(actor, "incentives.decide_participation", participation)
    participation = _lock(participation)
    target = ParticipationStatus.CLOSED if approve else ParticipationStatus.ACCEPTED
    _guard(participation, target)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Say what the closing application lacks.")})
    outcome = DecisionOutcome.APPROVED if approve else DecisionOutcome.RETURNED
    _decide(participation, Stage.CLOSING, outcome, comment, actor)
    if approve:
        _close_stage(participation, KIND_CLOSING, actor)
    else:
        _pause_stage(participation, KIND_CLOSING, comment, actor)
    participation.closed_at = timezone.now() if approve else None
    _move(participation, target, actor, comment)
    _mail_decision(participation, DecisionOutcome(outcome).label, comment)
    return participation
