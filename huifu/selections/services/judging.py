"""Judging: conflicts of interest and recusal, judges told of new applications, scores.

A judge is recused from an application when, for any person on it, one of the judge's
employers within ``Selection.conflict_years`` before the application deadline (or an
organisation the judge declared a relation with) is the applying company or the person's former
employer (left within the same years). The match is recorded as a suggested ``Conflict`` and
recuses at once; the chair (or a manager) confirms it or dismisses it with a reason. A recused
judge's selectors never return the application, so it is absent from the judge's lists,
exports, notifications, history and API, and scoring it by id answers "not found".
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record, audit_transition
from huifu.core.permissions import require
from huifu.core.texts import stored_text
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify

from ..models import (
    Application,
    ApplicationState,
    Category,
    Conflict,
    ConflictSource,
    ConflictState,
    Declaration,
    JudgeEmployment,
    PanelMember,
    PhaseKind,
    Score,
)
from ..rubric import judged_indicators, scale_of
from .common import SelectionError, application_deadline, require_phase, years_before


def _company_links(application: Application, cutoff: Any) -> dict[int, str]:
    """Organisation id → why it counts for this application (the applicant, or a member's
    former employer left on or after ``cutoff``)."""
    links = {application.organisation_id: "applicant"}
    for member in application.members.all():
        if member.former_organisation_id and member.former_until and member.former_until >= cutoff:
            links.setdefault(member.former_organisation_id, "former")
    return links


def conflicts_refresh(*, category: Category) -> list[Conflict]:
    """Record a suggested conflict for every (judge, confirmed application) match that has none
    yet; decided conflicts are left as decided. Runs inside the caller's transaction (no audit
    entry of its own: the caller's covers it; each new conflict is in the record's history)."""
    selection = category.selection
    cutoff = years_before(application_deadline(selection), selection.conflict_years)
    panel = list(category.panel.select_related("user"))
    if not panel:
        return []
    user_ids = [m.user_id for m in panel]
    employers: dict[int, dict[int, JudgeEmployment]] = {}
    for job in (
        JudgeEmployment.objects.filter(user_id__in=user_ids)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff))
        .select_related("organisation")
    ):
        employers.setdefault(job.user_id, {})[job.organisation_id] = job
    declared: dict[int, dict[int, Declaration]] = {}
    for declaration in Declaration.objects.filter(user_id__in=user_ids).select_related("organisation"):
        declared.setdefault(declaration.user_id, {})[declaration.organisation_id] = declaration
    existing = set(
        Conflict.objects.filter(application__category=category).values_list("panel_member_id", "application_id")
    )
    created = []
    applications = (
        Application.objects.filter(category=category, state=ApplicationState.CONFIRMED)
        .select_related("organisation")
        .prefetch_related("members__former_organisation")
    )
    for application in applications:
        links = _company_links(application, cutoff)
        for member in panel:
            if (member.pk, application.pk) in existing:
                continue
            detail = ""
            source = ""
            for org_id, why in links.items():
                job = employers.get(member.user_id, {}).get(org_id)
                relation = declared.get(member.user_id, {}).get(org_id)
                if job is None and relation is None:
                    continue
                org = job.organisation if job else relation.organisation
                whose = (
                    gettext_lazy("the applying company")
                    if why == "applicant"
                    else gettext_lazy("a team member's former employer")
                )
                if job is not None:
                    source = ConflictSource.EMPLOYMENT
                    detail = stored_text(
                        gettext_noop("Worked for %(org)s (%(start)s – %(end)s), %(whose)s."),
                        org=org.name_zh,
                        start=job.started_on.isoformat(),
                        end=job.ended_on.isoformat() if job.ended_on else pgettext_lazy("employment", "now"),
                        whose=whose,
                    )
                else:
                    source = ConflictSource.DECLARED
                    detail = stored_text(
                        gettext_noop("Declared a relation with %(org)s (%(note)s), %(whose)s."),
                        org=org.name_zh,
                        note=relation.note,
                        whose=whose,
                    )
                break
            if not source:
                continue
            conflict = Conflict.objects.create(
                panel_member=member, application=application, source=source, detail=detail[:300]
            )
            created.append(conflict)
            _tell_deciders(conflict)
    return created


def _tell_deciders(conflict: Conflict) -> None:
    """The chair (unless it is the chair's own conflict or the chair is recused there) is told
    a conflict awaits a decision; otherwise nobody is pinged and managers see it on the page."""
    chair = conflict.application.category.panel.filter(role="chair").exclude(pk=conflict.panel_member_id).first()
    if chair is None:
        return
    if Conflict.objects.filter(
        panel_member=chair, application=conflict.application, state__in=ConflictState.recusing()
    ).exists():
        return
    notify(
        recipient=chair.user,
        kind=notification_kinds.DECISION,
        message=gettext_noop("A conflict of interest on %(code)s awaits your decision."),
        params={"code": conflict.application.blind_code},
        url=reverse("selections:conflicts", args=[conflict.application.category_id]),
    )


def tell_judges(*, application: Application) -> int:
    """Tell each judge of the category who is not recused that a confirmed application awaits
    scoring, by its anonymous code only (never a name, in any mode)."""
    recused = set(
        Conflict.objects.filter(application=application, state__in=ConflictState.recusing()).values_list(
            "panel_member_id", flat=True
        )
    )
    count = 0
    for member in application.category.panel.select_related("user"):
        if member.pk in recused:
            continue
        notify(
            recipient=member.user,
            kind=notification_kinds.ASSIGNMENT,
            message=gettext_noop("Application %(code)s in %(category)s is ready for judging."),
            params={"code": application.blind_code, "category": application.category.name_zh},
            url=reverse("selections:application", args=[application.pk]),
        )
        count += 1
    return count


@transaction.atomic
def conflict_decide(*, actor: Any, conflict: Conflict, confirm: bool, reason: str) -> Conflict:
    """Confirm (the judge stays recused) or dismiss (the judge may judge the application) a
    suggested conflict, with a reason. A dismissed conflict's judge is told of the application."""
    conflict = (
        Conflict.objects.select_for_update().select_related("application__category__selection").get(pk=conflict.pk)
    )
    require(actor, "selections.decide_conflict", conflict)
    reason = (reason or "").strip()
    if not reason:
        raise SelectionError({"reason": _("Give the reason for the decision.")}, code="required")
    if conflict.state != ConflictState.SUGGESTED:
        raise SelectionError(_("This conflict is already decided."), code="illegal_transition")
    source = conflict.state
    conflict.state = ConflictState.CONFIRMED if confirm else ConflictState.DISMISSED
    conflict.decided_by = actor
    conflict.decided_at = timezone.now()
    conflict.reason = reason
    conflict.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    audit_transition(actor=actor, target=conflict, source=source, target_state=conflict.state, message=reason)
    if not confirm and conflict.application.state == ApplicationState.CONFIRMED:
        notify(
            recipient=conflict.panel_member.user,
            kind=notification_kinds.ASSIGNMENT,
            message=gettext_noop("Application %(code)s in %(category)s is ready for judging."),
            params={"code": conflict.application.blind_code, "category": conflict.application.category.name_zh},
            url=reverse("selections:application", args=[conflict.application_id]),
        )
    return conflict


def _value(raw: Any, *, scale: Decimal, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise SelectionError({field: _("“%(value)s” is not a number.") % {"value": raw}}, code="invalid") from None
    if not value.is_finite() or value < 0 or value > scale:
        raise SelectionError(
            {
                field: _("A score is between 0 and %(max)s; %(value)s is outside the scale.")
                % {"max": scale, "value": raw}
            },
            code="score_out_of_scale",
        )
    if value != value.quantize(Decimal("0.01")):
        raise SelectionError({field: _("Give at most two decimal places.")}, code="invalid")
    return value


@transaction.atomic
def scores_submit(*, actor: Any, application_id: int, values: Mapping[str, Any], comment: str = "") -> list[Score]:
    """Store the judge's scores of every judged indicator of one application, all or none.

    The application is looked up through what the judge may see: one the judge is recused from
    (or not on the panel of) raises ``Http404`` exactly like a missing id. Each score must be on
    the rubric's scale; the scoring window must be open."""
    from ..selectors import application_get

    application = application_get(user=actor, application_id=application_id)
    member = PanelMember.objects.filter(category=application.category, user_id=actor.pk).first()
    if member is None:
        raise Http404
    require(actor, "selections.score_application", application)
    require_phase(application.category.selection, PhaseKind.SCORING)
    scale = scale_of(application.category)
    indicators = judged_indicators(application.category)
    missing = [i.code for i in indicators if str(values.get(i.code, "")).strip() == ""]
    if missing:
        raise SelectionError({code: _("Give a score.") for code in missing}, code="required")
    unknown = sorted(set(values) - {i.code for i in indicators})
    if unknown:
        raise SelectionError(_("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)}, code="invalid")
    cleaned = {i.code: _value(values[i.code], scale=scale, field=i.code) for i in indicators}
    comment = (comment or "").strip()[:300]
    before = {s.indicator: str(s.value) for s in Score.objects.filter(application=application, judge=member)}
    saved = []
    for code, value in cleaned.items():
        score, _created = Score.objects.update_or_create(
            application=application, judge=member, indicator=code, defaults={"value": value, "comment": comment}
        )
        saved.append(score)
    changes = {
        code: [before.get(code), str(value)] for code, value in cleaned.items() if before.get(code) != str(value)
    }
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=application, changes=changes, message=gettext_noop("scores")
    )
    return saved
