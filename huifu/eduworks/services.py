"""Writing educational works and the base's figures: one named operation each, one transaction,
one audit entry (storing a file adds the files app's own entry), the permission checked again
inside with ``require``. Review decisions and publication are told to the submitter with
``notify()`` in the same transaction (in-app, and e-mail after commit through the outbox)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.accounts.predicates import is_staff_user
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require
from huifu.files import kinds
from huifu.files.services import file_store
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.models import translatable
from huifu.notifications.services import notify

from .models import (
    WORK_TRANSITIONS,
    Audience,
    AuthorKind,
    BaseKind,
    BaseMonthlyFigure,
    Channel,
    Licence,
    ReachFigure,
    ReviewCheckItem,
    ReviewDecision,
    ReviewOutcome,
    Work,
    WorkAuthor,
    WorkFile,
    WorkKind,
    WorkState,
)

WORK_FILE_PURPOSE = "eduwork_file"
WORK_FILE_KINDS = (kinds.PNG, kinds.JPEG, kinds.PDF, kinds.DOCX, kinds.PPTX, kinds.GIF)
EDITABLE_FIELDS = (
    "kind",
    "title",
    "summary",
    "products",
    "audiences",
    "link",
    "rights_owner",
    "licence",
    "rights_until",
    "third_party_cleared",
    "third_party_note",
)
REACH_COUNTS = ("views", "plays", "likes", "shares", "participants")
BASE_COUNTS = ("visitors", "visits", "surveyed", "satisfied")


class WorkStateError(ValidationError):
    """An operation was asked of a work in a state that does not allow it."""


def _lock(work: Work) -> Work:
    return Work.objects.select_for_update().get(pk=work.pk)


def _guard(work: Work, target: str) -> None:
    if target not in WORK_TRANSITIONS.get(work.state, frozenset()):
        raise WorkStateError(
            _("A work that is “%(state)s” cannot become “%(target)s”."),
            code="illegal_transition",
            params={"state": work.get_state_display(), "target": WorkState(target).label},
        )


def _audit_state(*, actor: Any, work: Work, source: str, message: str = "") -> None:
    """The one audit entry of a move; under the model's own field name, so the history shows
    "状态: 已提交待审 → 审核中" in the reader's language."""
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=work,
        changes={"state": [source, work.state]},
        message=message,
    )


def _guard_editable(work: Work) -> None:
    if not work.is_editable:
        raise WorkStateError(
            _("Only a draft or a returned work can be changed."),
            code="not_editable",
        )


def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def _clean(work: Work, products: Iterable[Any] | None) -> None:
    errors: dict[str, str] = {}
    work.title = (work.title or "").strip()
    work.summary = (work.summary or "").strip()
    work.rights_owner = (work.rights_owner or "").strip()
    work.third_party_note = (work.third_party_note or "").strip()
    work.link = (work.link or "").strip()
    work.audiences = [a for a in dict.fromkeys(work.audiences or []) if a in Audience.values]
    if work.kind not in WorkKind.values:
        errors["kind"] = _("Choose the kind of work.")
    if not work.title:
        errors["title"] = _("A work needs a title.")
    if not work.summary:
        errors["summary"] = _("Describe the work in a few sentences.")
    if not work.rights_owner:
        errors["rights_owner"] = _("Name who holds the rights to the work.")
    if work.licence not in Licence.values:
        errors["licence"] = _("Choose how the rights are held.")
    if products is not None and len(list(products)) > 30:
        errors["products"] = _("Choose at most 30 products.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def work_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    summary: str,
    rights_owner: str,
    licence: str = Licence.OWNED,
    products: Iterable[Any] = (),
    audiences: Iterable[str] = (),
    link: str = "",
    rights_until: datetime.date | None = None,
    third_party_cleared: bool = False,
    third_party_note: str = "",
) -> Work:
    """A draft owned by the actor's company (a member user) or by the exchange (staff)."""
    require(actor, "eduworks.add_work")
    products = list(products or [])
    work = Work(
        organisation=None if is_staff_user(actor) else getattr(actor, "organisation", None),
        kind=kind,
        title=title,
        summary=summary,
        audiences=list(audiences or []),
        link=link,
        rights_owner=rights_owner,
        licence=licence,
        rights_until=rights_until,
        third_party_cleared=bool(third_party_cleared),
        third_party_note=third_party_note,
        created_by=actor,
    )
    _clean(work, products)
    work.save()
    work.products.set(products)
    audit_create(actor=actor, target=work)
    return work


@transaction.atomic
def work_update(*, actor: Any, work: Work, **fields: Any) -> Work:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    work = _lock(work)
    require(actor, "eduworks.change_work", work)
    _guard_editable(work)
    plain = [f for f in EDITABLE_FIELDS if f != "products"]
    before = snapshot(work, plain)
    before_products = sorted(work.products.values_list("code", flat=True))
    products = fields.pop("products", None)
    for name, value in fields.items():
        setattr(work, name, value)
    _clean(work, products)
    work.save()
    if products is not None:
        work.products.set(list(products))
    after_products = sorted(work.products.values_list("code", flat=True))
    if after_products != before_products:
        before["products"] = before_products
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=work,
            changes={
                **{k: [v, getattr(work, k)] for k, v in before.items() if k != "products" and v != getattr(work, k)},
                "products": [", ".join(before_products), ", ".join(after_products)],
            },
        )
    else:
        audit_update(actor=actor, target=work, before=before)
    return work


@transaction.atomic
def work_author_add(*, actor: Any, work: Work, kind: str, name: str, affiliation: str = "") -> WorkAuthor:
    work = _lock(work)
    require(actor, "eduworks.change_work", work)
    _guard_editable(work)
    name, affiliation = (name or "").strip(), (affiliation or "").strip()
    errors = {}
    if kind not in AuthorKind.values:
        errors["kind"] = _("Choose the type of author.")
    if not name:
        errors["name"] = _("Give the author's name.")
    if kind in (AuthorKind.MEMBER, AuthorKind.EXTERNAL) and not affiliation:
        errors["affiliation"] = _("Give the author's company or institution.")
    if errors:
        raise ValidationError(errors)
    order = work.authors.count() + 1
    author = WorkAuthor.objects.create(
        work=work, kind=kind, name=name[:100], affiliation=affiliation[:200], order=order
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=work,
        changes={"authors": [None, str(author)]},
        message="author added",
    )
    return author


@transaction.atomic
def work_author_remove(*, actor: Any, author: WorkAuthor) -> None:
    work = _lock(author.work)
    require(actor, "eduworks.change_work", work)
    _guard_editable(work)
    label = str(author)
    author.delete()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=work,
        changes={"authors": [label, None]},
        message="author removed",
    )


@transaction.atomic
def work_file_add(*, actor: Any, work: Work, upload: Any, caption: str = "") -> WorkFile:
    """Attach an image, PDF, Word or PowerPoint file to a draft or returned work. The file
    belongs to the work's company (the exchange for its own works)."""
    work = _lock(work)
    require(actor, "eduworks.change_work", work)
    _guard_editable(work)
    stored = file_store(
        upload=upload,
        actor=actor,
        organisation=work.organisation,
        purpose=WORK_FILE_PURPOSE,
        allowed_kinds=WORK_FILE_KINDS,
    )
    item = WorkFile.objects.create(work=work, file=stored, caption=(caption or "").strip()[:200])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=work,
        changes={"files": [None, stored.original_name]},
        message="file added",
    )
    return item


@transaction.atomic
def work_file_remove(*, actor: Any, item: WorkFile) -> None:
    work = _lock(item.work)
    require(actor, "eduworks.change_work", work)
    _guard_editable(work)
    name = item.file.original_name
    item.delete()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=work, changes={"files": [name, None]}, message="file removed"
    )


@transaction.atomic
def work_submit(*, actor: Any, work: Work) -> Work:
    """Send a draft (or a returned work) to compliance review. Needs at least one author, and
    either third-party material cleared or a note saying what is used and how."""
    work = _lock(work)
    require(actor, "eduworks.change_work", work)
    _guard(work, WorkState.SUBMITTED)
    errors = {}
    if not work.authors.exists():
        errors["authors"] = _("Add at least one author before submitting.")
    if not work.third_party_cleared and not work.third_party_note:
        errors["third_party_note"] = _(
            "Third-party material is not marked as cleared: say what is used and how the rights are settled."
        )
    if errors:
        raise ValidationError(errors)
    source = work.state
    work.state, work.submitted_by, work.submitted_at = WorkState.SUBMITTED, actor, timezone.now()
    work.save(update_fields=["state", "submitted_by", "submitted_at", "updated_at"])
    _audit_state(actor=actor, work=work, source=source)
    return work


@transaction.atomic
def work_review_start(*, actor: Any, work: Work) -> Work:
    """Take a submitted work into review; the actor becomes its reviewer. Its author and
    submitter are refused (``author_cannot_review``)."""
    work = _lock(work)
    if work.is_author(actor):
        raise WorkStateError(
            _("You wrote or submitted this work: another colleague reviews it."), code="author_cannot_review"
        )
    require(actor, "eduworks.review_work", work)
    _guard(work, WorkState.IN_REVIEW)
    source = work.state
    work.state, work.reviewer = WorkState.IN_REVIEW, actor
    work.save(update_fields=["state", "reviewer", "updated_at"])
    _audit_state(actor=actor, work=work, source=source)
    return work


def checklist_items() -> list[ReviewCheckItem]:
    return list(ReviewCheckItem.objects.filter(is_active=True))


@transaction.atomic
def work_review_decide(
    *, actor: Any, work: Work, approve: bool, ticked: Iterable[str], note: str = ""
) -> ReviewDecision:
    """The reviewer's decision. Approving needs every active checklist item ticked; returning
    needs a reason. The checklist as ticked and the reason are kept (``ReviewDecision``)."""
    work = _lock(work)
    if work.is_author(actor):
        raise WorkStateError(
            _("You wrote or submitted this work: another colleague reviews it."), code="author_cannot_review"
        )
    _guard(work, WorkState.APPROVED if approve else WorkState.RETURNED)
    require(
        actor,
        "eduworks.decide_work",
        work,
        message=_("Only the colleague who took this work into review decides on it."),
    )
    note = (note or "").strip()
    ticked = set(ticked or [])
    items = checklist_items()
    checklist = [{"code": i.code, "label": i.label_zh, "ticked": i.code in ticked} for i in items]
    if approve:
        missing = [i.label_zh for i in items if i.code not in ticked]
        if missing:
            raise ValidationError(
                {
                    "ticked": _("Tick every item of the checklist to approve; open: %(items)s")
                    % {"items": "；".join(missing)}
                }
            )
    elif not note:
        raise ValidationError({"note": _("Say what must be changed before the work can be approved.")})
    outcome = ReviewOutcome.APPROVED if approve else ReviewOutcome.RETURNED
    decision = ReviewDecision.objects.create(
        work=work, outcome=outcome, reviewer=actor, checklist=checklist, note=note, decided_at=timezone.now()
    )
    source = work.state
    work.state = WorkState.APPROVED if approve else WorkState.RETURNED
    work.save(update_fields=["state", "updated_at"])
    _audit_state(actor=actor, work=work, source=source, message=note[:500])
    _notify(work, gettext_noop("Educational work “%(title)s”: %(outcome)s"), outcome.label, note)
    return decision


def _notify(work: Work, message: str, label: Any, note: str = "") -> None:
    recipient = work.submitted_by or work.created_by
    params = {"title": work.title, "outcome": translatable(label)}
    body = f"{_(message) % {'title': work.title, 'outcome': label}}\n{note}".strip()
    notify(
        recipient=recipient,
        kind=notification_kinds.DECISION,
        message=message,
        params=params,
        url=work.get_absolute_url(),
        organisation=work.organisation,
        mail={
            "to": recipient.email,
            "subject": f"[会服·投教作品] {work.title}：{label}",
            "body_text": body,
            "organisation": work.organisation,
            "topic": "eduworks",
        }
        if recipient.email
        else None,
    )


@transaction.atomic
def work_publish(*, actor: Any, work: Work, channel: str, published_on: datetime.date) -> Work:
    """Publish an approved work on ``channel`` on ``published_on`` (today or earlier)."""
    work = _lock(work)
    require(actor, "eduworks.publish_work", work)
    _guard(work, WorkState.PUBLISHED)
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = _("Choose the channel the work is published on.")
    if published_on is None:
        errors["published_on"] = _("Give the publication date.")
    elif published_on > timezone.localdate():
        errors["published_on"] = _("The publication date cannot be in the future; publish on the day.")
    if errors:
        raise ValidationError(errors)
    source = work.state
    work.state, work.channel, work.published_on = WorkState.PUBLISHED, channel, published_on
    work.save(update_fields=["state", "channel", "published_on", "updated_at"])
    _audit_state(actor=actor, work=work, source=source, message=f"{channel} {published_on:%Y-%m-%d}")
    _notify(work, gettext_noop("Educational work “%(title)s”: %(outcome)s"), WorkState.PUBLISHED.label)
    return work


@transaction.atomic
def work_withdraw(*, actor: Any, work: Work, reason: str) -> Work:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the work is withdrawn.")})
    work = _lock(work)
    require(actor, "eduworks.withdraw_work", work)
    _guard(work, WorkState.WITHDRAWN)
    source = work.state
    work.state, work.withdrawn_at, work.withdrawn_reason = WorkState.WITHDRAWN, timezone.now(), reason
    work.save(update_fields=["state", "withdrawn_at", "withdrawn_reason", "updated_at"])
    _audit_state(actor=actor, work=work, source=source, message=reason[:500])
    return work


def _counts(values: dict[str, Any], names: Iterable[str]) -> dict[str, int]:
    """Whole numbers, zero or more; each bad one named on its field."""
    counts, errors = {}, {}
    for name in names:
        raw = values.get(name)
        if raw in (None, ""):
            counts[name] = 0
            continue
        try:
            number = int(str(raw).strip().replace(",", ""))
        except (TypeError, ValueError):
            errors[name] = _("Enter a whole number.")
            continue
        if number < 0:
            errors[name] = _("A count cannot be negative.")
            continue
        if number > 2_000_000_000:
            errors[name] = _("This number is too large.")
            continue
        counts[name] = number
    if errors:
        raise ValidationError(errors)
    return counts


def _month(value: Any, field: str = "month") -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ValidationError({field: _("Choose a month.")})
    month = month_start(value)
    if month > month_start(timezone.localdate()):
        raise ValidationError({field: _("Figures can only be entered for this month or earlier.")})
    return month


@transaction.atomic
def reach_record(*, actor: Any, work: Work, month: datetime.date, channel: str, **counts: Any) -> ReachFigure:
    """Enter the reach of a published (or since withdrawn) work on one channel for one month.
    A month and channel already entered is refused with a message (remove it to correct it)."""
    work = _lock(work)
    require(actor, "eduworks.enter_reach", work)
    if work.state not in WorkState.once_published():
        raise WorkStateError(_("Reach figures are entered once the work is published."), code="not_published")
    month = _month(month)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose the channel.")})
    if month < month_start(work.published_on):
        raise ValidationError(
            {
                "month": _("The work was published on %(date)s: no figures before that month.")
                % {"date": work.published_on}
            }
        )
    values = _counts(counts, REACH_COUNTS)
    if ReachFigure.objects.filter(work=work, month=month, channel=channel).exists():
        raise ValidationError(
            {
                "month": ValidationError(
                    _("Figures for %(month)s on %(channel)s are already entered. Remove that row first to correct it.")
                    % {"month": f"{month:%Y-%m}", "channel": Channel(channel).label},
                    code="duplicate",
                )
            }
        )
    try:
        with transaction.atomic():
            figure = ReachFigure.objects.create(work=work, month=month, channel=channel, entered_by=actor, **values)
    except IntegrityError as exc:  # a parallel entry of the same month won the race
        raise ValidationError(
            {
                "month": ValidationError(
                    _("Figures for this month and channel were just entered by someone else."), code="duplicate"
                )
            }
        ) from exc
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=work,
        changes={"reach": [None, f"{month:%Y-%m} {channel} " + " ".join(f"{k}={v}" for k, v in values.items())]},
        message="reach entered",
    )
    return figure


@transaction.atomic
def reach_remove(*, actor: Any, figure: ReachFigure) -> None:
    work = _lock(figure.work)
    require(actor, "eduworks.enter_reach", work)
    label = f"{figure.month:%Y-%m} {figure.channel} " + " ".join(f"{k}={getattr(figure, k)}" for k in REACH_COUNTS)
    figure.delete()
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=work, changes={"reach": [label, None]}, message="reach removed"
    )


@transaction.atomic
def base_figure_record(
    *, actor: Any, month: datetime.date, base: str, note: str = "", **counts: Any
) -> BaseMonthlyFigure:
    """Enter the base's visitors, visits and satisfaction survey for one month. A month already
    entered for the same base is refused with a message."""
    require(actor, "eduworks.enter_base_figures")
    month = _month(month)
    if base not in BaseKind.values:
        raise ValidationError({"base": _("Choose the physical or the online base.")})
    values = _counts(counts, BASE_COUNTS)
    errors = {}
    if values["visits"] < values["visitors"]:
        errors["visits"] = _("Visits count every visit, so they cannot be fewer than visitors.")
    if values["satisfied"] > values["surveyed"]:
        errors["satisfied"] = _("More satisfied people than people surveyed.")
    if errors:
        raise ValidationError(errors)
    if BaseMonthlyFigure.objects.filter(month=month, base=base).exists():
        raise ValidationError(
            {
                "month": ValidationError(
                    _("Figures for %(month)s of the %(base)s are already entered. Remove that row first to correct it.")
                    % {"month": f"{month:%Y-%m}", "base": BaseKind(base).label},
                    code="duplicate",
                )
            }
        )
    try:
        with transaction.atomic():
            figure = BaseMonthlyFigure.objects.create(
                month=month, base=base, note=(note or "").strip()[:300], entered_by=actor, **values
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"month": ValidationError(_("Figures for this month were just entered by someone else."), code="duplicate")}
        ) from exc
    audit_create(actor=actor, target=figure)
    return figure


@transaction.atomic
def base_figure_remove(*, actor: Any, figure: BaseMonthlyFigure) -> None:
    require(actor, "eduworks.enter_base_figures")
    audit_record(actor=actor, action=AuditAction.DELETE, target=figure, changes={"visits": [figure.visits, None]})
    figure.delete()
