"""Co-hosted activity writes: the named operations.

Keyword-only, ``actor`` (None = the system), one transaction each, one audit entry for the
activity (plus the stored file's or the budget row's own entry where one is written). Every
status move also appends an ``ActivityStep`` (the timeline) and opens/pauses/closes the stage's
tracked item (``huifu.tracking``: owner, deadline on the working-day calendar, reminders).
Illegal moves raise ``ActivityStateError``; bad input ``ValidationError`` naming the field.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.audit.services import audit_create, audit_transition, audit_update, snapshot
from huifu.budget.models import BudgetPool
from huifu.budget.money import clean_money, yuan
from huifu.budget.services import allocation_approve, allocation_paid
from huifu.core.permissions import require
from huifu.core.texts import stored_text
from huifu.directory.models import Department, DepartmentKind, OrganisationKind
from huifu.files import kinds
from huifu.files.services import file_store
from huifu.notices.models import AudienceKind as NoticeAudience
from huifu.notices.models import NoticeCategory
from huifu.notices.services import notice_create_draft, notice_publish
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify
from huifu.tracking import services as tracking
from huifu.workdays.engine import end_of_day

from . import deadlines
from .models import (
    REQUIRABLE_FIELDS,
    TRANSITIONS,
    Activity,
    ActivityFile,
    ActivityGuideline,
    ActivityKind,
    ActivityStatus,
    ActivityStep,
    ActivityType,
    AudienceKind,
    BudgetLine,
    FileRole,
)

ACTIVITY_FILE_PURPOSE = "activity_file"
FILE_KINDS = {
    FileRole.PHOTO: kinds.IMAGE_KINDS,
    FileRole.AGENDA: (kinds.PDF, kinds.DOCX, kinds.OFD),
    FileRole.MATERIAL: (kinds.PDF, kinds.DOCX, kinds.XLSX, kinds.OFD, kinds.PNG, kinds.JPEG),
}
S = ActivityStatus


class ActivityStateError(ValidationError):
    """The operation does not fit the activity's state."""


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("activity_type", "organisation").get(pk=activity.pk)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _move(activity: Activity, target: str, actor: Any, comment: str = "", fields: Iterable[str] = ()) -> None:
    """Guarded status change + timeline step + one audit entry. The caller holds the lock."""
    if target not in TRANSITIONS.get(activity.status, frozenset()):
        raise ActivityStateError(
            _("An activity that is “%(status)s” cannot become “%(target)s”.")
            % {"status": activity.get_status_display(), "target": ActivityStatus(target).label},
            code="illegal_transition",
        )
    source = activity.status
    activity.status = target
    activity.save(update_fields=["status", "updated_at", *fields])
    ActivityStep.objects.create(activity=activity, actor=_user(actor), source=source, target=target, comment=comment)
    audit_transition(actor=actor, target=activity, source=source, target_state=target, message=comment[:500])


def _department(kind: str) -> Department | None:
    return Department.objects.filter(kind=kind, is_active=True).order_by("sort_order", "pk").first()


def _track(
    activity: Activity,
    kind: str,
    title: str,
    received_at: datetime.datetime,
    actor: Any,
    department_kind: str = DepartmentKind.COORDINATOR,
    url: str = "",
) -> None:
    rule, amount = deadlines.rule_for(kind)
    tracking.tracked_open(
        target=activity,
        kind=kind,
        title=f"{title}：{activity.title}"[:300],
        url=url or activity.get_absolute_url(),
        received_at=received_at,
        rule=rule,
        amount=amount,
        organisation=activity.organisation,
        department=_department(department_kind),
        topic=activity.activity_type.get_kind_display(),
        actor=actor,
        audit=False,
    )


def _close(activity: Activity, kind: str, actor: Any, cancelled: bool = False) -> None:
    item = tracking.tracked_for(activity, kind)
    if item is not None and item.is_open:
        tracking.tracked_close(item=item, actor=actor, cancelled=cancelled, audit=False)


def _notify(activity: Activity, message: str, params: dict[str, Any], body: str) -> None:
    """Tell the applicant: in the notification centre (``message``, a msgid, read in the reader's
    language) and by e-mail (delivered after commit by the outbox, unless they turned it off)."""
    email = activity.applicant.email
    subject = _(message) % params
    notify(
        recipient=activity.applicant,
        kind=notification_kinds.DECISION,
        message=message,
        params=params,
        url=activity.get_absolute_url(),
        organisation=activity.organisation,
        mail={
            "to": email,
            "subject": f"[会服·合作活动] {subject}",
            "body_text": body,
            "organisation": activity.organisation,
            "topic": "activity",
        }
        if email
        else None,
    )


# --- Types and guideline ----------------------------------------------------------------------------


def _clean_type(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("A type needs a name.")
    if data.get("kind") not in ActivityKind.values:
        errors["kind"] = _("Choose a kind from the list.")
    unknown = [f for f in data.get("required_fields") or [] if f not in REQUIRABLE_FIELDS]
    if unknown:
        errors["required_fields"] = _("Unknown field: %(fields)s.") % {"fields": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    caps = {}
    for item, cap in (data.get("line_caps") or {}).items():
        caps[str(item).strip()] = str(clean_money(cap, field="line_caps", allow_zero=True))
    return {
        "name": name,
        "name_en": (data.get("name_en") or "").strip(),
        "kind": data["kind"],
        "description": (data.get("description") or "").strip(),
        "priority_themes": [t.strip() for t in data.get("priority_themes") or [] if t.strip()],
        "required_fields": list(dict.fromkeys(data.get("required_fields") or [])),
        "cap_per_activity": clean_money(data.get("cap_per_activity"), field="cap_per_activity"),
        "line_caps": caps,
        "is_active": bool(data.get("is_active", True)),
    }


def type_save(*, actor: Any | None, year: int, activity_type: ActivityType | None = None, **data: Any) -> ActivityType:
    """Create (``activity_type`` None) or change an activity type of ``year``."""
    require(actor, "activities.manage_types")
    values = _clean_type(data)
    with transaction.atomic():
        if (
            ActivityType.objects.filter(year=year, name=values["name"])
            .exclude(pk=getattr(activity_type, "pk", None))
            .exists()
        ):
            raise ValidationError({"name": _("A type with this name already exists for %(year)s.") % {"year": year}})
        if activity_type is None:
            activity_type = ActivityType.objects.create(year=year, **values)
            audit_create(actor=actor, target=activity_type)
        else:
            activity_type = ActivityType.objects.select_for_update().get(pk=activity_type.pk)
            before = snapshot(activity_type, list(values))
            for key, value in values.items():
                setattr(activity_type, key, value)
            activity_type.save()
            audit_update(actor=actor, target=activity_type, before=before)
    return activity_type


def guideline_publish(
    *, year: int, title: str, body: str, actor: Any | None, doc_number: str = ""
) -> ActivityGuideline:
    """Publish the year's guideline (指引) to all members and partners as a notice of category
    guideline (through the notices services), and link it to the year's activity pages."""
    require(actor, "activities.manage_types")
    with transaction.atomic():
        if ActivityGuideline.objects.filter(year=year).exists():
            raise ValidationError(
                {"year": _("The guideline for %(year)s has already been published.") % {"year": year}}
            )
        notice = notice_create_draft(
            actor=actor,
            title=title,
            body=body,
            category=NoticeCategory.GUIDELINE,
            doc_number=doc_number,
            audience_kind=NoticeAudience.PUBLIC,
        )
        notice = notice_publish(actor=actor, notice=notice, notify=False)
        guideline = ActivityGuideline.objects.create(year=year, notice=notice)
    return guideline


# --- Application ----------------------------------------------------------------------------------


APPLICATION_FIELDS = (
    "title",
    "theme",
    "plan",
    "starts_on",
    "ends_on",
    "online",
    "venue",
    "audience_expected",
    "co_organisers",
    "speakers",
)


def _clean_audience(value: Any, field: str) -> dict[str, int]:
    result: dict[str, int] = {}
    for key, count in (value or {}).items():
        if key not in AudienceKind.values:
            raise ValidationError({field: _("Unknown kind of audience: %(kind)s.") % {"kind": key}})
        try:
            number = int(count or 0)
        except (TypeError, ValueError):
            raise ValidationError({field: _("Audience counts are whole numbers.")})
        if number < 0:
            raise ValidationError({field: _("Audience counts cannot be negative.")})
        if number:
            result[key] = number
    return result


def _clean_lines(lines: Iterable[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    cleaned = []
    for i, (item, amount) in enumerate(lines or [], start=1):
        item = (item or "").strip()
        if not item and amount in (None, ""):
            continue
        if not item:
            raise ValidationError({"budget_lines": _("Budget line %(n)s needs an item.") % {"n": i}})
        try:
            value = clean_money(amount, field="budget_lines")
        except ValidationError as exc:
            raise ValidationError(
                {
                    "budget_lines": _("Budget line %(n)s (%(item)s): %(error)s")
                    % {"n": i, "item": item, "error": exc.message_dict["budget_lines"][0]}
                }
            )
        cleaned.append((item, value))
    return cleaned


def _apply_fields(activity: Activity, data: dict[str, Any]) -> None:
    for key in APPLICATION_FIELDS:
        if key in data:
            value = data[key]
            if isinstance(value, str):
                value = value.strip()
            setattr(activity, key, value)
    activity.audience_expected = _clean_audience(activity.audience_expected, "audience_expected")
    errors = {}
    if "university" in data:
        activity.university = data["university"] or None
    if not activity.activity_type.is_campus:
        activity.university = None  # only a campus activity names a university
    elif activity.university is not None and activity.university.kind != OrganisationKind.UNIVERSITY:
        errors["university"] = _("Choose a university from the directory.")
    if not activity.title:
        errors["title"] = _("An activity needs a title.")
    if not activity.starts_on or not activity.ends_on:
        errors["starts_on"] = _("Enter the dates of the activity.")
    elif activity.ends_on < activity.starts_on:
        errors["ends_on"] = _("The activity cannot end before it starts.")
    if errors:
        raise ValidationError(errors)


def _save_lines(activity: Activity, lines: list[tuple[str, Decimal]]) -> None:
    activity.budget_lines.all().delete()
    BudgetLine.objects.bulk_create([BudgetLine(activity=activity, item=i, amount=a) for i, a in lines])
    activity.requested_amount = sum((a for _i, a in lines), Decimal("0.00"))
    activity.save(update_fields=["requested_amount"])


def activity_create(
    *,
    actor: Any,
    activity_type: ActivityType,
    lines: Iterable[tuple[str, Any]] = (),
    organisation: Any = None,
    **data: Any,
) -> Activity:
    """A draft application of the actor's organisation."""
    require(actor, "activities.apply")
    organisation = organisation or actor.organisation
    if not activity_type.is_active:
        raise ValidationError({"activity_type": _("This activity type is not open for applications.")})
    cleaned_lines = _clean_lines(lines)
    with transaction.atomic():
        activity = Activity(organisation=organisation, applicant=actor, activity_type=activity_type)
        _apply_fields(activity, data)
        activity.save()
        _save_lines(activity, cleaned_lines)
        ActivityStep.objects.create(activity=activity, actor=_user(actor), target=S.DRAFT)
        audit_create(actor=actor, target=activity)
    return activity


def activity_update(
    *,
    actor: Any,
    activity: Activity,
    lines: Iterable[tuple[str, Any]] | None = None,
    activity_type: ActivityType | None = None,
    **data: Any,
) -> Activity:
    """Change a draft or a returned application."""
    require(actor, "activities.change_activity", activity)
    cleaned_lines = _clean_lines(lines) if lines is not None else None
    with transaction.atomic():
        activity = _lock(activity)
        if activity.status not in S.editable():
            raise ActivityStateError(_("Only drafts and returned applications can be changed."), code="not_editable")
        before = snapshot(activity, [*APPLICATION_FIELDS, "activity_type_id", "university_id", "requested_amount"])
        if activity_type is not None:
            activity.activity_type = activity_type
        _apply_fields(activity, data)
        activity.save()
        if cleaned_lines is not None:
            _save_lines(activity, cleaned_lines)
        audit_update(actor=actor, target=activity, before=before)
    return activity


def check_complete(activity: Activity) -> None:
    """The type's required fields and cost caps; ValidationError naming every problem."""
    t = activity.activity_type
    errors: dict[str, list[str]] = {}
    lines = list(activity.budget_lines.all())
    for field in t.required_fields:
        empty = not lines if field == "budget_lines" else not getattr(activity, field)
        if empty:
            errors.setdefault(field, []).append(
                _("%(field)s is required for %(type)s.")
                % {"field": str(REQUIRABLE_FIELDS[field]).capitalize(), "type": t.display_name}
            )
    if t.is_campus and activity.university_id is None:
        errors.setdefault("university", []).append(_("Choose the university where the campus activity is held."))
    if not activity.online and not activity.venue:
        errors.setdefault("venue", []).append(_("Give the venue, or mark the activity as online."))
    if t.kind == ActivityKind.SPECIAL and t.priority_themes and activity.theme not in t.priority_themes:
        errors.setdefault("theme", []).append(
            _("A special activity must take one of this year's priority themes: %(themes)s.")
            % {"themes": "、".join(t.priority_themes)}
        )
    for line in lines:
        cap = t.line_caps.get(line.item)
        if cap is not None and line.amount > Decimal(cap):
            errors.setdefault("budget_lines", []).append(
                _("“%(item)s” is capped at %(cap)s CNY for %(type)s.")
                % {"item": line.item, "cap": yuan(Decimal(cap)), "type": t.display_name}
            )
    if activity.requested_amount > t.cap_per_activity:
        errors.setdefault("budget_lines", []).append(
            _("The budget totals %(total)s CNY; %(type)s is capped at %(cap)s CNY per activity.")
            % {"total": yuan(activity.requested_amount), "type": t.display_name, "cap": yuan(t.cap_per_activity)}
        )
    if errors:
        raise ValidationError(errors)


def activity_submit(*, actor: Any, activity: Activity, comment: str = "") -> Activity:
    """Submit a draft, or resubmit a returned application (the review clock resumes)."""
    require(actor, "activities.change_activity", activity)
    with transaction.atomic():
        activity = _lock(activity)
        resubmission = activity.status == S.RETURNED
        if activity.status not in S.editable():
            raise ActivityStateError(_("Only drafts and returned applications can be submitted."), code="not_editable")
        check_complete(activity)
        activity.submitted_at = timezone.now()
        _move(activity, S.SUBMITTED, actor, comment, fields=["submitted_at"])
        item = tracking.tracked_for(activity, deadlines.REVIEW)
        if resubmission and item is not None and item.status == "paused":
            tracking.tracked_resume(item=item, actor=actor, audit=False)
        else:
            _track(activity, deadlines.REVIEW, _("Review application"), activity.submitted_at, actor)
    return activity


def activity_return(*, actor: Any, activity: Activity, comment: str) -> Activity:
    """Return for revision with the reviewer's comments; the review clock pauses meanwhile."""
    require(actor, "activities.review_activity", activity)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what must be revised.")})
    with transaction.atomic():
        activity = _lock(activity)
        _move(activity, S.RETURNED, actor, comment)
        item = tracking.tracked_for(activity, deadlines.REVIEW)
        if item is not None and item.status == "open":
            tracking.tracked_pause(item=item, reason=comment[:500], actor=actor, audit=False)
        _notify(activity, gettext_noop("Returned for revision: %(title)s"), {"title": activity.title}, comment)
    return activity


def activity_approve(*, actor: Any, activity: Activity, pool: BudgetPool, amount: Any, comment: str = "") -> Activity:
    """Approve with an amount (at most what was asked) committed from ``pool``; refused when
    the pool cannot cover it (``huifu.budget``)."""
    require(actor, "activities.review_activity", activity)
    value = clean_money(amount, allow_zero=True)
    with transaction.atomic():
        activity = _lock(activity)
        if value > activity.requested_amount:
            raise ValidationError(
                {
                    "amount": _("The approved amount cannot exceed the %(requested)s CNY requested.")
                    % {"requested": yuan(activity.requested_amount)}
                }
            )
        if pool.year != activity.activity_type.year:
            raise ValidationError({"pool": _("Choose a pool of %(year)s.") % {"year": activity.activity_type.year}})
        allocation_approve(
            pool=pool,
            target=activity,
            organisation=activity.organisation,
            amount=value,
            requested_amount=activity.requested_amount,
            title=activity.title,
            actor=actor,
        )
        activity.approved_amount = value
        activity.decided_at = timezone.now()
        note = _("Approved: %(amount)s CNY.") % {"amount": yuan(value)}
        # The timeline keeps the message and its amount, read in each reader's language (issue #10).
        step = stored_text("Approved: %(amount)s CNY.", amount=yuan(value))
        _move(activity, S.APPROVED, actor, f"{step} {comment}".rstrip(), fields=["approved_amount", "decided_at"])
        _close(activity, deadlines.REVIEW, actor)
        _track(activity, deadlines.SUMMARY, _("Summary due"), end_of_day(activity.ends_on), actor)
        _notify(activity, gettext_noop("Approved: %(title)s"), {"title": activity.title}, f"{note}\n{comment}")
    return activity


def activity_reject(*, actor: Any, activity: Activity, reason: str) -> Activity:
    require(actor, "activities.review_activity", activity)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for rejection.")})
    with transaction.atomic():
        activity = _lock(activity)
        activity.rejection_reason = reason
        activity.decided_at = timezone.now()
        _move(activity, S.REJECTED, actor, reason, fields=["rejection_reason", "decided_at"])
        _close(activity, deadlines.REVIEW, actor)
        _notify(activity, gettext_noop("Rejected: %(title)s"), {"title": activity.title}, reason)
    return activity


# --- Execution and close-out ------------------------------------------------------------------------


def activity_mark_held(*, actor: Any, activity: Activity) -> Activity:
    """The activity took place (not before its first day)."""
    require(actor, "activities.report_activity", activity)
    with transaction.atomic():
        activity = _lock(activity)
        if activity.starts_on > timezone.localdate():
            raise ActivityStateError(_("The activity has not started yet."), code="not_started")
        _move(activity, S.HELD, actor)
    return activity


def activity_file_add(*, actor: Any, activity: Activity, role: str, upload: Any) -> ActivityFile:
    """Attach a photo (image), the agenda or material to the summary (while it can be edited)."""
    require(actor, "activities.report_activity", activity)
    if role not in FileRole.values:
        raise ValidationError({"role": _("Choose what the file is.")})
    with transaction.atomic():
        activity = _lock(activity)
        if activity.status not in S.summary_editable():
            raise ActivityStateError(
                _("Files are added after the activity is held, until the summary is accepted."), code="not_editable"
            )
        stored = file_store(
            upload=upload,
            actor=actor,
            organisation=activity.organisation,
            purpose=ACTIVITY_FILE_PURPOSE,
            allowed_kinds=FILE_KINDS[role],
        )
        attached = ActivityFile.objects.create(activity=activity, role=role, file=stored)
        ActivityStep.objects.create(
            activity=activity,
            actor=_user(actor),
            comment=stored_text("Added %(role)s: %(name)s", role=FileRole(role).label, name=stored.original_name),
        )
    return attached


def activity_summary_submit(
    *, actor: Any, activity: Activity, actual_attendance: dict, summary: str, agenda: str = "", media_links: str = ""
) -> Activity:
    """The partner's summary: actual attendance by kind, text, agenda, media links; at least one
    photo must be attached first."""
    require(actor, "activities.report_activity", activity)
    attendance = _clean_audience(actual_attendance, "actual_attendance")
    errors = {}
    if not attendance:
        errors["actual_attendance"] = _("Give the actual attendance.")
    if not (summary or "").strip():
        errors["summary"] = _("Write the summary.")
    links = [line.strip() for line in (media_links or "").splitlines() if line.strip()]
    bad = [u for u in links if not u.startswith(("http://", "https://"))]
    if bad:
        errors["media_links"] = _("Links start with http:// or https://: %(links)s") % {"links": ", ".join(bad)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        activity = _lock(activity)
        if activity.status in S.summary_editable() and not activity.files.filter(role=FileRole.PHOTO).exists():
            raise ValidationError({"photos": _("Attach at least one photo of the activity.")})
        resubmission = activity.status == S.SUMMARY_RETURNED
        activity.actual_attendance = attendance
        activity.summary = summary.strip()
        activity.agenda = (agenda or "").strip()
        activity.media_links = "\n".join(links)
        _move(activity, S.SUMMARY_SUBMITTED, actor, fields=["actual_attendance", "summary", "agenda", "media_links"])
        _close(activity, deadlines.SUMMARY, actor)
        item = tracking.tracked_for(activity, deadlines.SUMMARY_REVIEW)
        if resubmission and item is not None and item.status == "paused":
            tracking.tracked_resume(item=item, actor=actor, audit=False)
        else:
            _track(activity, deadlines.SUMMARY_REVIEW, _("Review summary"), timezone.now(), actor)
    return activity


def activity_summary_review(*, actor: Any, activity: Activity, accept: bool, comment: str = "") -> Activity:
    """Accept the summary (the partner may then invoice) or return it with comments."""
    require(actor, "activities.review_activity", activity)
    comment = (comment or "").strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Say what must be revised.")})
    with transaction.atomic():
        activity = _lock(activity)
        item = tracking.tracked_for(activity, deadlines.SUMMARY_REVIEW)
        if accept:
            _move(activity, S.SUMMARY_ACCEPTED, actor, comment)
            if item is not None:
                tracking.tracked_close(item=item, actor=actor, audit=False)
            _notify(
                activity,
                gettext_noop("Summary accepted: %(title)s"),
                {"title": activity.title},
                _("Please register your invoice (buyer: the exchange) on the allocation page."),
            )
        else:
            _move(activity, S.SUMMARY_RETURNED, actor, comment)
            if item is not None and item.status == "open":
                tracking.tracked_pause(item=item, reason=comment[:500], actor=actor, audit=False)
            _notify(activity, gettext_noop("Summary returned: %(title)s"), {"title": activity.title}, comment)
    return activity


def on_invoice(activity: Activity, allocation: Any, actor: Any) -> None:
    """Budget hook (same transaction as the invoice): invoices only after the summary is
    accepted; the first one moves the activity to invoiced and starts Finance's payment clock."""
    activity = _lock(activity)
    if activity.status == S.INVOICED:
        ActivityStep.objects.create(
            activity=activity, actor=_user(actor), comment=stored_text("Further invoice registered.")
        )
        return
    if activity.status != S.SUMMARY_ACCEPTED:
        raise ActivityStateError(
            _("Invoices are registered after the summary has been accepted."), code="summary_not_accepted"
        )
    _move(activity, S.INVOICED, actor)
    # Finance's queue row opens the allocation's payment form directly (issue 10).
    pay_url = reverse("budget:allocation_detail", args=[allocation.pk]) + "?pay=1#record-payment"
    _track(
        activity,
        deadlines.PAYMENT,
        _("Pay"),
        timezone.now(),
        actor,
        department_kind=DepartmentKind.FINANCE,
        url=pay_url,
    )


def on_payment(activity: Activity, allocation: Any, actor: Any) -> None:
    """Budget hook (same transaction as the payment): fully paid → paid, payment clock stops."""
    activity = _lock(activity)
    if activity.status != S.INVOICED:
        raise ActivityStateError(_("Payments are recorded after the invoice."), code="not_invoiced")
    paid = allocation_paid(allocation)
    if paid >= allocation.approved_amount:
        _move(activity, S.PAID, actor, _("Paid in full: %(amount)s CNY.") % {"amount": yuan(paid)})
        _close(activity, deadlines.PAYMENT, actor)
        _notify(
            activity,
            gettext_noop("Paid: %(title)s"),
            {"title": activity.title},
            _("%(amount)s CNY has been transferred.") % {"amount": yuan(paid)},
        )
    else:
        ActivityStep.objects.create(
            activity=activity,
            actor=_user(actor),
            comment=stored_text("Partial payment; %(amount)s CNY paid so far.", amount=yuan(paid)),
        )


def activity_close(*, actor: Any, activity: Activity, comment: str = "") -> Activity:
    require(actor, "activities.review_activity", activity)
    with transaction.atomic():
        activity = _lock(activity)
        _move(activity, S.CLOSED, actor, comment)
    return activity
