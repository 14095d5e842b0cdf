"""Setting a selection up (managers): the selection and its phase windows, categories with their
rubric (a frozen scheme of the awards engine), panels, judges' employment histories and declared
relations, and the plan published as a notice."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from huifu.accounts.system import is_system_actor
from huifu.audit.models import AuditAction
from huifu.audit.services import audit_create, audit_record, audit_update, snapshot
from huifu.core.permissions import require

from ..models import (
    Category,
    Declaration,
    JudgeEmployment,
    PanelMember,
    PanelRole,
    Phase,
    PhaseKind,
    Selection,
)
from ..permissions import user_manages
from .common import SelectionError

CATEGORY_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "applicant_kind",
    "blind",
    "normalise",
    "normalise_min_scores",
    "quota_threshold",
    "quota_percent",
    "quota_max",
    "quota_rounding",
    "bonus_points_per_unit",
    "max_team_size",
)


def _check_phases(phases: Mapping[str, tuple[datetime.datetime, datetime.datetime]]) -> None:
    errors: dict[str, str] = {}
    previous_end = None
    for kind in PhaseKind.ordered():
        if kind not in phases:
            errors[kind] = _("Give the %(phase)s window.") % {"phase": PhaseKind(kind).label}
            continue
        opens, closes = phases[kind]
        if opens is None or closes is None or closes <= opens:
            errors[kind] = _("The %(phase)s window must close after it opens.") % {"phase": PhaseKind(kind).label}
            continue
        if previous_end is not None and opens < previous_end:
            errors[kind] = _("The %(phase)s window must not open before the previous phase closes.") % {
                "phase": PhaseKind(kind).label
            }
        previous_end = closes
    if errors:
        raise SelectionError(errors, code="bad_phases")


@transaction.atomic
def selection_create(
    *,
    actor: Any,
    year: int,
    title: str,
    department: Any,
    phases: Mapping[str, tuple[datetime.datetime, datetime.datetime]],
    conflict_years: int = 3,
) -> Selection:
    """A selection with its five phase windows (application, upload, scoring, review,
    publication), in that order and not overlapping."""
    require(actor, "selections.manage_selection")
    title = (title or "").strip()
    if not title:
        raise SelectionError({"title": _("Give the selection a title.")}, code="required")
    if Selection.objects.filter(year=year).exists():
        raise SelectionError(
            {"year": _("There is already a selection for %(year)s.") % {"year": year}}, code="duplicate"
        )
    if not is_system_actor(actor) and not actor.department_id == getattr(department, "pk", None):
        raise SelectionError({"department": _("Choose your own department.")}, code="not_your_department")
    _check_phases(phases)
    selection = Selection.objects.create(year=year, title=title, department=department, conflict_years=conflict_years)
    Phase.objects.bulk_create(
        [Phase(selection=selection, kind=k, opens_at=phases[k][0], closes_at=phases[k][1]) for k in PhaseKind.ordered()]
    )
    audit_create(actor=actor, target=selection)
    return selection


@transaction.atomic
def phase_set(
    *, actor: Any, selection: Selection, kind: str, opens_at: datetime.datetime, closes_at: datetime.datetime
) -> Phase:
    """Move one window (e.g. extend the application deadline); the order is checked again."""
    require(actor, "selections.manage_selection", selection)
    current = {p.kind: (p.opens_at, p.closes_at) for p in selection.phases.all()}
    current[kind] = (opens_at, closes_at)
    _check_phases(current)
    phase = Phase.objects.select_for_update().get(selection=selection, kind=kind)
    before = snapshot(phase, ["opens_at", "closes_at"])
    phase.opens_at, phase.closes_at = opens_at, closes_at
    phase.save(update_fields=["opens_at", "closes_at"])
    audit_update(actor=actor, target=phase, before=before, after=snapshot(phase, ["opens_at", "closes_at"]))
    return phase


@transaction.atomic
def category_create(*, actor: Any, selection: Selection, scheme: Any, **fields: Any) -> Category:
    """A category whose rubric is ``scheme`` (a frozen scheme version of the awards engine: its
    judged indicators are scored by the panel, its computed ones come from Huifu's data, its
    bonus items carry their caps)."""
    require(actor, "selections.manage_selection", selection)
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    if scheme is None or not scheme.is_frozen:
        raise SelectionError(
            {"scheme": _("Choose a frozen evaluation scheme as the rubric.")}, code="scheme_not_frozen"
        )
    from .commendation import PROGRAMME_CODE

    if scheme.programme.code != PROGRAMME_CODE or scheme.year != selection.year:
        raise SelectionError({"scheme": _("Choose a scheme of this year's analyst selection.")}, code="wrong_scheme")
    if scheme.category_code and scheme.category_code != fields.get("code"):
        raise SelectionError(
            {"scheme": _("This scheme is the rubric of the category “%(code)s”.") % {"code": scheme.category_code}},
            code="wrong_scheme",
        )
    category = Category(selection=selection, scheme=scheme, **fields)
    try:
        category.full_clean(exclude=["selection", "scheme"])
    except ValidationError as exc:
        raise SelectionError(exc.message_dict, code="invalid") from exc
    if Category.objects.filter(selection=selection, code=category.code).exists():
        raise SelectionError({"code": _("This code is already used in this selection.")}, code="duplicate")
    category.save()
    audit_create(actor=actor, target=category)
    return category


@transaction.atomic
def panel_member_add(*, actor: Any, category: Category, user: Any, role: str = PanelRole.JUDGE) -> PanelMember:
    """Put ``user`` on the panel (staff or an external expert's account). Refuses the
    selection's managers (who see every application) and a second chair. Conflicts of the new
    judge are computed at once."""
    require(actor, "selections.manage_selection", category)
    if user.kind not in ("staff", "public") or not user.is_active:
        raise SelectionError(
            {"user": _("A judge is a member of staff or an external expert's account (not a company's user).")},
            code="judge_kind",
        )
    if user_manages(user, category.selection):
        raise SelectionError(
            {
                "user": _("%(name)s manages this selection and sees every application, so cannot judge in it.")
                % {"name": user}
            },
            code="manager_cannot_judge",
        )
    try:
        with transaction.atomic():
            member = PanelMember.objects.create(category=category, user=user, role=role)
    except IntegrityError as exc:
        raise SelectionError(
            {"user": _("This person is already on the panel, or the panel already has a chair.")}, code="duplicate"
        ) from exc
    audit_create(actor=actor, target=member)
    from .judging import conflicts_refresh

    conflicts_refresh(category=category)
    return member


@transaction.atomic
def judge_employment_add(
    *, actor: Any, user: Any, organisation: Any, started_on: datetime.date, ended_on: datetime.date | None = None
) -> JudgeEmployment:
    """Record one employment of a judge (current without ``ended_on``); conflicts of every
    category the judge sits on are recomputed."""
    require(actor, "selections.manage_selection")
    if ended_on is not None and ended_on < started_on:
        raise SelectionError({"ended_on": _("The end is before the start.")}, code="bad_dates")
    employment = JudgeEmployment.objects.create(
        user=user, organisation=organisation, started_on=started_on, ended_on=ended_on
    )
    audit_create(actor=actor, target=employment)
    _refresh_for(user)
    return employment


@transaction.atomic
def declaration_add(*, actor: Any, user: Any, organisation: Any, note: str) -> Declaration:
    """A relation declared by the judge (or recorded for them by a manager)."""
    if actor.pk != user.pk:
        require(actor, "selections.manage_selection")
    note = (note or "").strip()
    if not note:
        raise SelectionError({"note": _("Say what the relation is.")}, code="required")
    declaration = Declaration.objects.create(user=user, organisation=organisation, note=note)
    audit_create(actor=actor, target=declaration)
    _refresh_for(user)
    return declaration


def _refresh_for(user: Any) -> None:
    from .judging import conflicts_refresh

    for category in Category.objects.filter(panel__user=user).distinct():
        conflicts_refresh(category=category)


@transaction.atomic
def plan_publish(*, actor: Any, selection: Selection, body: str, doc_number: str = "") -> Any:
    """Publish the selection's plan (评选方案) as a notice to all members, with the phase
    windows and categories written out; the notice is linked from the selection."""
    from huifu.notices.services import notice_create_draft, notice_publish

    require(actor, "selections.manage_selection", selection)
    if selection.plan_notice_id:
        raise SelectionError(_("The plan of this selection is already published."), code="already_published")
    from ..texts import plan_text

    notice = notice_create_draft(
        actor=actor,
        title=selection.title,
        body=plan_text(selection, body),
        doc_number=doc_number,
        department=selection.department,
    )
    notice_publish(actor=actor, notice=notice)
    selection.plan_notice = notice
    selection.save(update_fields=["plan_notice"])
    audit_record(actor=actor, action=AuditAction.UPDATE, target=selection, changes={"plan_notice": [None, str(notice)]})
    return notice


def rubric_create(
    *,
    actor: Any,
    selection: Selection,
    category_code: str,
    indicators: list[Any],
    bonus_items: list[Any] = (),
    scale: Decimal = Decimal("100"),
) -> Any:
    """A category's rubric as a scheme version of the selection's award programme in the awards
    engine (weights of each level must add up to 100 %, else ``AwardsError`` naming the level),
    frozen at once: a published rubric does not change; next year's is a new version."""
    from huifu.awards.services import scheme_create, scheme_freeze

    from .commendation import programme_for

    require(actor, "selections.manage_selection", selection)
    scheme = scheme_create(
        actor=actor,
        programme=programme_for(selection),
        year=selection.year,
        category_code=category_code,
        title=f"{selection.title} · {category_code}",
        indicators=indicators,
        bonus_items=list(bonus_items),
        scale=scale,
    )
    return scheme_freeze(actor=actor, scheme=scheme)
