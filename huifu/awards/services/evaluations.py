"""The member rating (会员评优) and the overseas broker award: one evaluation per year on a
frozen scheme.

    evaluation_create → evaluation_open (scheme frozen) → values, bonuses, measures →
    evaluation_compute (result set 1, 2 …, each with its diff) → list_publish (v1: notice; each
    evaluated organisation sees its own breakdown; objection window in working days) →
    objection_submit / objection_decide (someone other than the scorer, with a reason) →
    evaluation_compute again if needed → list_publish (v1.1, final, change log; the winners are
    handed to the commendation layer).

Every write: one transaction, permission re-checked, state guarded, one audit entry.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.audit.services import audit_create, audit_record, audit_transition
from huifu.core.permissions import require
from huifu.directory.models import Organisation, OrganisationKind, OrganisationStatus
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify
from huifu.workdays.services import add_working_days

from .. import metrics
from ..models import (
    EVALUATION_TRANSITIONS,
    AwardProgramme,
    BonusGrant,
    EnteredValue,
    Evaluation,
    EvaluationState,
    IndicatorSource,
    MeasureKind,
    Objection,
    ObjectionState,
    PublishedList,
    ResultSet,
    SchemeVersion,
    SubjectResult,
    SupervisoryMeasure,
    TieBreak,
)
from . import scoring
from .commendation import CategorySpec, WinnerSpec, edition_create, winners_publish
from .errors import AwardsError
from .schemes import _decimal, scheme_freeze, scheme_spec

OBJECTION_DECIDED = gettext_noop("Your objection to %(evaluation)s was decided: %(outcome)s")
OBJECTION_RECEIVED = gettext_noop("New objection to %(evaluation)s from %(organisation)s")
OUTCOME_UPHELD = gettext_noop("objection upheld")
OUTCOME_REJECTED = gettext_noop("objection rejected")


def _lock(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("programme", "scheme", "edition").get(pk=evaluation.pk)


def _guard(evaluation: Evaluation, *states: str) -> None:
    if evaluation.state not in states:
        raise AwardsError(
            _("Not possible while the evaluation is “%(state)s”.") % {"state": evaluation.get_state_display()},
            code="illegal_transition",
        )


def _move(evaluation: Evaluation, target: str) -> str:
    """Set ``target`` if the workflow has that edge from the current state; returns the source."""
    source = evaluation.state
    if target not in EVALUATION_TRANSITIONS.get(source, frozenset()):
        raise AwardsError(
            _("Not possible while the evaluation is “%(state)s”.") % {"state": evaluation.get_state_display()},
            code="illegal_transition",
        )
    evaluation.state = target
    return source


@transaction.atomic
def evaluation_create(
    *,
    actor: Any,
    programme: AwardProgramme,
    scheme: SchemeVersion,
    year: int,
    title_zh: str,
    title_en: str,
    categories: Sequence[CategorySpec],
    objection_days: int = 5,
) -> Evaluation:
    """A draft evaluation of ``year`` on ``scheme`` with its award edition and categories
    (quotas per year as data). Categories take successive slices of the ranking: the first
    category its quota of the best, the next its quota of the following, and so on."""
    require(actor, "awards.manage_programme", programme)
    if scheme.programme_id != programme.pk:
        raise AwardsError({"scheme": _("The scheme belongs to another award.")})
    if hasattr(scheme, "evaluation"):
        raise AwardsError({"scheme": _("This scheme is already used by an evaluation.")})
    if not 1 <= objection_days <= 30:
        raise AwardsError({"objection_days": _("The objection window is 1 to 30 working days.")})
    if any(c.quota is None for c in categories):
        raise AwardsError({"quota": _("Every category of an evaluation needs a quota.")})
    edition = edition_create(
        actor=actor, programme=programme, year=year, title_zh=title_zh, title_en=title_en, categories=categories
    )
    evaluation = Evaluation.objects.create(
        programme=programme, scheme=scheme, edition=edition, year=year, objection_days=objection_days
    )
    audit_create(actor=actor, target=evaluation)
    return evaluation


@transaction.atomic
def evaluation_open(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    """Open the evaluation: its scheme is frozen (validated: weights per level 100 %)."""
    evaluation = _lock(evaluation)
    require(actor, "awards.manage_programme", evaluation)
    _guard(evaluation, EvaluationState.DRAFT)
    if not evaluation.scheme.is_frozen:
        scheme_freeze(actor=actor, scheme=evaluation.scheme)
    _move(evaluation, EvaluationState.OPEN)
    evaluation.opened_at = timezone.now()
    evaluation.opened_by = actor
    evaluation.save(update_fields=["state", "opened_at", "opened_by"])
    audit_transition(actor=actor, target=evaluation, source=EvaluationState.DRAFT, target_state=evaluation.state)
    return evaluation


def _subjects(evaluation: Evaluation) -> list[Organisation]:
    kind = evaluation.programme.subject_kind or OrganisationKind.FUTURES_COMPANY
    return list(
        Organisation.objects.filter(kind=kind, status=OrganisationStatus.ACTIVE).order_by("pk").only("pk", "name_zh")
    )


def _guard_subject(evaluation: Evaluation, organisation: Organisation) -> None:
    kind = evaluation.programme.subject_kind or OrganisationKind.FUTURES_COMPANY
    if organisation.kind != kind:
        raise AwardsError({"organisation": _("%(name)s is not evaluated by this award.") % {"name": organisation}})


@transaction.atomic
def entered_value_set(
    *, actor: Any, evaluation: Evaluation, organisation: Organisation, indicator_code: str, value: Any, evidence: str
) -> EnteredValue:
    """Enter (or correct) an ``entered`` indicator's value with its evidence. A correction keeps
    the previous value (superseded), never overwrites it."""
    evaluation = _lock(evaluation)
    require(actor, "awards.manage_programme", evaluation)
    _guard(evaluation, EvaluationState.OPEN, EvaluationState.OBJECTION)
    _guard_subject(evaluation, organisation)
    indicator = evaluation.scheme.indicators.filter(code=indicator_code, source=IndicatorSource.ENTERED).first()
    if indicator is None:
        raise AwardsError(
            {"indicator_code": _("No indicator entered by staff has the code “%(code)s”.") % {"code": indicator_code}}
        )
    if not (evidence or "").strip():
        raise AwardsError({"evidence": _("Give the evidence for the value.")})
    amount = _decimal(value, "value")
    previous = (
        EnteredValue.objects.select_for_update()
        .filter(evaluation=evaluation, organisation=organisation, indicator_code=indicator_code, superseded_at=None)
        .first()
    )
    if previous is not None:
        EnteredValue.objects.filter(pk=previous.pk).update(superseded_at=timezone.now())
    entry = EnteredValue.objects.create(
        evaluation=evaluation,
        organisation=organisation,
        indicator_code=indicator_code,
        value=amount,
        evidence=evidence.strip(),
        entered_by=actor,
    )
    if previous is not None:
        EnteredValue.objects.filter(pk=previous.pk).update(superseded_by=entry)
    audit_record(
        actor=actor,
        action="update" if previous else "create",
        target=evaluation,
        changes={f"{organisation.pk}:{indicator_code}": [str(previous.value) if previous else None, str(amount)]},
        message=evidence.strip()[:200],
    )
    return entry


@transaction.atomic
def bonus_grant(
    *, actor: Any, evaluation: Evaluation, organisation: Organisation, bonus_code: str, points: Any, evidence: str
) -> BonusGrant:
    """Grant bonus points with evidence; caps are applied when the result is computed."""
    evaluation = _lock(evaluation)
    require(actor, "awards.manage_programme", evaluation)
    _guard(evaluation, EvaluationState.OPEN, EvaluationState.OBJECTION)
    _guard_subject(evaluation, organisation)
    if not evaluation.scheme.bonus_items.filter(code=bonus_code).exists():
        raise AwardsError({"bonus_code": _("Unknown bonus item “%(code)s”.") % {"code": bonus_code}})
    amount = _decimal(points, "points")
    if amount < 0:
        raise AwardsError({"points": _("Bonus points cannot be negative.")})
    if not (evidence or "").strip():
        raise AwardsError({"evidence": _("Give the evidence for the bonus.")})
    grant = BonusGrant.objects.create(
        evaluation=evaluation,
        organisation=organisation,
        bonus_code=bonus_code,
        points=amount,
        evidence=evidence.strip(),
        granted_by=actor,
    )
    audit_create(actor=actor, target=grant)
    return grant


@transaction.atomic
def measure_record(
    *,
    actor: Any,
    programme: AwardProgramme,
    organisation: Organisation,
    kind: str,
    document_number: str,
    issued_on: datetime.date,
    violation_ref: str,
    authority: str = "",
    summary: str = "",
) -> SupervisoryMeasure:
    """Record an effective supervisory measure (document number, date, type). Measures that
    punish the same violation share ``violation_ref``; it counts once, the heaviest."""
    require(actor, "awards.manage_programme", programme)
    if kind not in MeasureKind.values:
        raise AwardsError({"kind": _("Unknown measure type “%(kind)s”.") % {"kind": kind}})
    document_number = (document_number or "").strip()
    if not document_number:
        raise AwardsError({"document_number": _("Give the measure's document number.")})
    if not (violation_ref or "").strip():
        raise AwardsError({"violation_ref": _("Name the violation the measure punishes.")})
    if issued_on > timezone.localdate():
        raise AwardsError({"issued_on": _("The date of the measure cannot be in the future.")})
    if SupervisoryMeasure.objects.filter(
        organisation=organisation, document_number=document_number, kind=kind
    ).exists():
        raise AwardsError({"document_number": _("This measure is already recorded.")})
    measure = SupervisoryMeasure.objects.create(
        organisation=organisation,
        kind=kind,
        document_number=document_number,
        issued_on=issued_on,
        violation_ref=violation_ref.strip(),
        authority=authority.strip(),
        summary=summary.strip(),
        recorded_by=actor,
    )
    audit_create(actor=actor, target=measure)
    return measure


@transaction.atomic
def measure_withdraw(
    *, actor: Any, programme: AwardProgramme, measure: SupervisoryMeasure, reason: str
) -> SupervisoryMeasure:
    """Withdraw a measure recorded in error or annulled (the row stays, with the reason); the
    next computation no longer counts it."""
    require(actor, "awards.manage_programme", programme)
    measure = SupervisoryMeasure.objects.select_for_update().get(pk=measure.pk)
    reason = (reason or "").strip()
    if not reason:
        raise AwardsError({"reason": _("Give the reason for withdrawing the measure.")})
    if measure.withdrawn_at is not None:
        raise AwardsError(_("This measure is already withdrawn."), code="illegal_transition")
    measure.withdrawn_at = timezone.now()
    measure.withdrawal_reason = reason
    measure.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    audit_record(
        actor=actor,
        action="update",
        target=measure,
        changes={"withdrawn_at": [None, str(measure.withdrawn_at)]},
        message=reason,
    )
    return measure


# --- computation ---


def _leaf_values(evaluation: Evaluation, spec: scoring.SchemeSpec, org_ids: list[int]) -> dict[str, Any]:
    """{leaf code: {org_id: (value or None, inputs)}} from Huifu's data and the entered values."""
    indicators = {i.code: i for i in evaluation.scheme.indicators.all()}
    entered = {
        (e.organisation_id, e.indicator_code): e
        for e in EnteredValue.objects.filter(evaluation=evaluation, superseded_at=None)
    }
    result: dict[str, Any] = {}
    for leaf in spec.leaves():
        indicator = indicators[leaf.code]
        if indicator.source == IndicatorSource.COMPUTED:
            result[leaf.code] = metrics.compute(indicator.metric, org_ids, evaluation.year)
        elif indicator.source == IndicatorSource.ENTERED:
            values = {}
            for org in org_ids:
                e = entered.get((org, leaf.code))
                values[org] = (
                    (e.value, {"source": "entered", "entry": e.pk, "evidence": e.evidence, "by": e.entered_by_id})
                    if e
                    else (None, {"source": "entered", "entry": None})
                )
            result[leaf.code] = values
        else:  # judges' indicators are not used by organisation evaluations
            result[leaf.code] = {org: (None, {"source": "judges"}) for org in org_ids}
    return result


def _measures(evaluation: Evaluation, org_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {org: [] for org in org_ids}
    for m in SupervisoryMeasure.objects.filter(
        organisation_id__in=org_ids, issued_on__year=evaluation.year, withdrawn_at__isnull=True
    ).order_by("issued_on", "pk"):
        found[m.organisation_id].append(
            {
                "id": m.pk,
                "violation": m.violation_ref,
                "kind": m.kind,
                "document_number": m.document_number,
                "issued_on": m.issued_on.isoformat(),
            }
        )
    return found


def _bonuses(evaluation: Evaluation, org_ids: list[int]) -> dict[int, dict[str, Decimal]]:
    found: dict[int, dict[str, Decimal]] = {org: {} for org in org_ids}
    for g in BonusGrant.objects.filter(evaluation=evaluation, organisation_id__in=org_ids):
        found[g.organisation_id][g.bonus_code] = found[g.organisation_id].get(g.bonus_code, Decimal("0")) + g.points
    return found


def score_subjects(
    spec: scoring.SchemeSpec,
    raw: dict[str, dict[int, tuple[Decimal | None, dict[str, Any]]]],
    measures: dict[int, list[dict[str, Any]]],
    bonuses: dict[int, dict[str, Decimal]],
) -> dict[int, dict[str, Any]]:
    """Score every subject from raw values (pure: used by compute and by replay)."""
    leaf_scores: dict[str, dict[int, Decimal]] = {}
    by_code = {i.code: i for i in spec.indicators}
    for code, values in raw.items():
        if by_code[code].source == IndicatorSource.JUDGES:
            leaf_scores[code] = {org: Decimal(v or 0) for org, (v, _inputs) in values.items()}
        else:
            leaf_scores[code] = scoring.scale_values(
                {org: v for org, (v, _inputs) in values.items()}, direction=by_code[code].direction, scale=spec.scale
            )
    orgs = sorted({org for values in raw.values() for org in values} | set(measures))
    result = {}
    for org in orgs:
        s = scoring.score(
            spec,
            {code: scores[org] for code, scores in leaf_scores.items()},
            bonuses=bonuses.get(org, {}),
            measures=measures.get(org, []),
        )
        breakdown = []
        for indicator in spec.indicators:
            value, inputs = raw.get(indicator.code, {}).get(org, (None, {}))
            breakdown.append(
                {
                    "code": indicator.code,
                    "parent": indicator.parent,
                    "name_zh": indicator.name_zh,
                    "name_en": indicator.name_en,
                    "weight": str(indicator.weight),
                    "unit": indicator.unit,
                    "source": indicator.source,
                    "value": None if value is None else str(value),
                    "inputs": inputs,
                    "score": str(s.node_scores.get(indicator.code, Decimal("0"))),
                }
            )
        result[org] = {
            "score": s,
            "breakdown": breakdown,
            "deductions": [
                {
                    "violation": d.violation,
                    "counted_kind": d.counted_kind,
                    "points": str(d.points),
                    "measures": d.measures,
                }
                for d in s.deductions
            ],
            "bonuses": [{"code": k, "points": str(v)} for k, v in s.bonuses.items()],
        }
    return result


def _rank_key(evaluation: Evaluation, spec: scoring.SchemeSpec, scored: dict[str, Any]) -> tuple:
    s = scored["score"]
    tops = tuple(-s.node_scores.get(i.code, Decimal("0")) for i in spec.top_level())
    if evaluation.scheme.tie_break == TieBreak.FEWER_DEDUCTIONS:
        return (-s.total, s.deduction, *tops)
    if evaluation.scheme.tie_break == TieBreak.FIRST_INDICATOR:
        return (-s.total, *tops)
    return (-s.total,)


def rank(evaluation: Evaluation, spec: scoring.SchemeSpec, scored: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in rank order with ``rank``, ``category`` (code or "") and ``tie_note``: equal totals
    share a rank unless the published tie-break rule separates them; a tie the rule cannot break
    at a quota boundary includes all tied (the note says so)."""
    rows = [{"org": org, **data} for org, data in scored.items()]
    rows.sort(key=lambda r: (_rank_key(evaluation, spec, r), r["org"]))
    previous_key = None
    for index, row in enumerate(rows):
        key = _rank_key(evaluation, spec, row)
        row["rank"] = rows[index - 1]["rank"] if key == previous_key else index + 1
        row["tie_note"] = ""
        previous_key = key
    categories = list(evaluation.edition.categories.all())
    position = 0
    for category in categories:
        quota = category.quota or 0
        taken = rows[position : position + quota]
        if not taken:
            break
        end = position + len(taken)
        # a tie at the boundary: everyone sharing the last rank given is included
        while end < len(rows) and rows[end]["rank"] == taken[-1]["rank"] and quota:
            end += 1
        if end > position + quota:
            for row in rows[position:end]:
                if row["rank"] == taken[-1]["rank"]:
                    row["tie_note"] = _("Tied at the quota boundary; all included by the published rule.")
        for row in rows[position:end]:
            row["category"] = category.code
        position = end
    for index, row in enumerate(rows):
        row.setdefault("category", "")
        before = rows[index - 1] if index else None
        if before is not None and before["score"].total == row["score"].total and before["rank"] != row["rank"]:
            note = _("Same total; separated by the published tie-break rule.")
            before["tie_note"] = before["tie_note"] or note
            row["tie_note"] = row["tie_note"] or note
    return rows


@transaction.atomic
def evaluation_compute(*, actor: Any, evaluation: Evaluation, reason: str = "") -> ResultSet:
    """Compute every evaluated organisation's result from Huifu's data, the entered values,
    bonuses and measures of the year, into a NEW result set (number n+1) with the diff against
    the previous one; nothing earlier is changed. The user who computes is the scorer."""
    evaluation = _lock(evaluation)
    require(actor, "awards.manage_programme", evaluation)
    _guard(evaluation, EvaluationState.OPEN, EvaluationState.OBJECTION, EvaluationState.FINAL)
    spec = scheme_spec(evaluation.scheme)
    subjects = _subjects(evaluation)
    if not subjects:
        raise AwardsError(_("There is nobody to evaluate."), code="invalid")
    org_ids = [o.pk for o in subjects]
    scored = score_subjects(
        spec, _leaf_values(evaluation, spec, org_ids), _measures(evaluation, org_ids), _bonuses(evaluation, org_ids)
    )
    rows = rank(evaluation, spec, scored)
    previous = evaluation.result_sets.order_by("-number").first()
    result_set = ResultSet.objects.create(
        evaluation=evaluation,
        number=(previous.number + 1) if previous else 1,
        computed_at=timezone.now(),
        computed_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=(reason or "").strip()[:300],
    )
    SubjectResult.objects.bulk_create(
        SubjectResult(
            result_set=result_set,
            organisation_id=row["org"],
            base_score=row["score"].base,
            bonus=row["score"].bonus,
            deduction=row["score"].deduction,
            total=row["score"].total,
            rank=row["rank"],
            within_quota=bool(row["category"]),
            category_code=row["category"],
            tie_note=row["tie_note"],
            breakdown=row["breakdown"],
            deductions=row["deductions"],
            bonuses=row["bonuses"],
        )
        for row in rows
    )
    if previous is not None:
        result_set.diff = result_set_diff(previous, result_set)
        result_set.save(update_fields=["diff"])
    audit_create(actor=actor, target=result_set, message=f"{len(rows)} results; {len(result_set.diff)} changed")
    return result_set


def result_set_diff(before: ResultSet, after: ResultSet) -> dict[str, dict[str, list[Any]]]:
    """{org_id: {field: [before, after]}} for total, rank and category of every changed result."""
    old = {r.organisation_id: r for r in before.results.all()}
    changes: dict[str, dict[str, list[Any]]] = {}
    for r in after.results.all():
        o = old.get(r.organisation_id)
        fields = {
            "total": (str(o.total) if o else None, str(r.total)),
            "rank": (o.rank if o else None, r.rank),
            "category": (o.category_code if o else None, r.category_code),
        }
        changed = {k: list(v) for k, v in fields.items() if v[0] != v[1]}
        if changed:
            changes[str(r.organisation_id)] = changed
    return changes


def result_replay(result: SubjectResult) -> scoring.Score:
    """Recompute one result from what it stored (values and inputs, measures, bonuses) and the
    frozen scheme — not from today's data — to explain it years later. Scaling against the best
    value uses the stored values of the whole result set."""
    result_set = result.result_set
    spec = scheme_spec(result_set.evaluation.scheme)
    raw: dict[str, dict[int, tuple[Decimal | None, dict[str, Any]]]] = {}
    measures: dict[int, list[dict[str, Any]]] = {}
    bonuses: dict[int, dict[str, Decimal]] = {}
    leaves = {leaf.code for leaf in spec.leaves()}
    for r in result_set.results.all():
        for row in r.breakdown:
            if row["code"] in leaves:
                value = None if row["value"] is None else Decimal(row["value"])
                if row["source"] == IndicatorSource.JUDGES:
                    value = Decimal(row["score"])
                raw.setdefault(row["code"], {})[r.organisation_id] = (value, row["inputs"])
        measures[r.organisation_id] = [m for d in r.deductions for m in d["measures"]]
        bonuses[r.organisation_id] = {b["code"]: Decimal(b["points"]) for b in r.bonuses}
    return score_subjects(spec, raw, measures, bonuses)[result.organisation_id]["score"]


# --- publication and objections ---


def latest_result_set(evaluation: Evaluation) -> ResultSet | None:
    return evaluation.result_sets.order_by("-number").first()


def _bilingual(programme: AwardProgramme, zh: str, en: str) -> str:
    return f"{en}\n{zh}" if programme.english_first else f"{zh}\n{en}"


def _list_notice(evaluation: Evaluation, published: PublishedList) -> Any:
    from huifu.accounts.system import system_actor
    from huifu.core.http import absolute_url
    from huifu.notices.models import AudienceKind, NoticeCategory
    from huifu.notices.services import notice_create_draft, notice_publish

    programme, edition = evaluation.programme, evaluation.edition
    categories = {c.code: c for c in edition.categories.all()}
    lines = [
        _bilingual(
            programme,
            f"{edition.title_zh}结果（{published.label}）现予公示。各单位可登录会服查看本单位得分明细；"
            f"如有异议，请于 {evaluation.objection_deadline:%Y-%m-%d} 前在会服提出。",
            f"The results of the {edition.title_en} ({published.label}) are published. Each organisation can "
            f"read its own breakdown in Huifu and object there until {evaluation.objection_deadline:%Y-%m-%d}.",
        ),
        "",
    ]
    for result in published.result_set.results.filter(within_quota=True).select_related("organisation"):
        category = categories.get(result.category_code)
        label = (category.name_en if programme.english_first else category.name_zh) if category else ""
        name = (
            result.organisation.name_en
            if programme.english_first and result.organisation.name_en
            else result.organisation.name_zh
        )
        lines.append(f"{label}：{name}")
    lines += ["", absolute_url(evaluation.get_absolute_url())]
    title = (
        f"{edition.title_en}: results {published.label} / {edition.title_zh}结果公示"
        if programme.english_first
        else f"关于{edition.title_zh}结果公示（{published.label}）的通知"
    )
    if programme.subject_kind == OrganisationKind.OVERSEAS_BROKER:
        audience = {"audience_kind": AudienceKind.ORG_KINDS, "audience_org_kinds": [OrganisationKind.OVERSEAS_BROKER]}
    else:
        audience = {"audience_kind": AudienceKind.ALL_MEMBERS}
    system = system_actor()
    notice = notice_create_draft(
        actor=system,
        title=title[:200],
        body="\n".join(lines),
        category=NoticeCategory.NOTICE,
        department=programme.department,
        **audience,
    )
    return notice_publish(actor=system, notice=notice)


def _change_log(before: ResultSet, after: ResultSet) -> list[dict[str, Any]]:
    old = {r.organisation_id: r for r in before.results.all()}
    log = []
    for r in after.results.select_related("organisation"):
        o = old.get(r.organisation_id)
        if o is None or (o.total, o.rank, o.category_code) != (r.total, r.rank, r.category_code):
            log.append(
                {
                    "organisation_id": r.organisation_id,
                    "name_zh": r.organisation.name_zh,
                    "name_en": r.organisation.name_en,
                    "before": {"total": str(o.total), "rank": o.rank, "category": o.category_code} if o else None,
                    "after": {"total": str(r.total), "rank": r.rank, "category": r.category_code},
                }
            )
    return log


@transaction.atomic
def list_publish(*, actor: Any, evaluation: Evaluation) -> PublishedList:
    """Publish the latest result set as a list.

    * From ``open``: ``v1``, through a notice; the objection window opens (``objection_days``
      working days from today, huifu.workdays); each evaluated organisation sees its own
      breakdown.
    * From ``objection``: the final ``v1.1`` (``v1.2`` …) once the window is over and every
      objection is decided, with the change log against the list before; the winners (within
      the quotas) are handed to the commendation layer (certificates, notice, public page).
    """
    evaluation = _lock(evaluation)
    require(actor, "awards.manage_programme", evaluation)
    _guard(evaluation, EvaluationState.OPEN, EvaluationState.OBJECTION)
    result_set = latest_result_set(evaluation)
    if result_set is None:
        raise AwardsError(_("Compute the results before publishing them."), code="illegal_transition")
    now = timezone.now()
    previous = evaluation.published_lists.order_by("-published_at", "-pk").first()
    if evaluation.state == EvaluationState.OPEN:
        deadline = add_working_days(timezone.localdate(now), evaluation.objection_days).date
        evaluation.objection_deadline = deadline
        published = PublishedList.objects.create(
            evaluation=evaluation, label="v1", result_set=result_set, published_at=now, published_by=actor
        )
        published.notice = _list_notice(evaluation, published)
        published.save(update_fields=["notice"])
        source = _move(evaluation, EvaluationState.OBJECTION)
        evaluation.save(update_fields=["state", "objection_deadline"])
        audit_transition(actor=actor, target=evaluation, source=source, target_state=evaluation.state, message="v1")
        return published
    if timezone.localdate(now) <= evaluation.objection_deadline:
        raise AwardsError(
            _("The objection window runs until %(date)s; the final list follows it.")
            % {"date": f"{evaluation.objection_deadline:%Y-%m-%d}"},
            code="window_open",
        )
    pending = evaluation.objections.filter(state=ObjectionState.SUBMITTED).count()
    if pending:
        raise AwardsError(
            _("%(count)s objection(s) are not decided yet.") % {"count": pending}, code="illegal_transition"
        )
    count = evaluation.published_lists.count()
    published = PublishedList.objects.create(
        evaluation=evaluation,
        label=f"v1.{count}",
        result_set=result_set,
        is_final=True,
        change_log=_change_log(previous.result_set, result_set),
        published_at=now,
        published_by=actor,
    )
    categories = {c.code: c for c in evaluation.edition.categories.all()}
    winners = [
        WinnerSpec(
            category=r.category_code,
            organisation=r.organisation,
            name_zh=r.organisation.name_zh,
            name_en=r.organisation.name_en,
            rank=r.rank,
            source=f"awards.evaluation:{evaluation.pk}:{r.organisation_id}",
        )
        for r in result_set.results.filter(within_quota=True).select_related("organisation")
        if r.category_code in categories
    ]
    _widen_quotas_for_ties(evaluation, winners)
    winners_publish(actor=actor, edition=evaluation.edition, winners=winners)
    evaluation.edition.refresh_from_db(fields=["notice"])
    published.notice = evaluation.edition.notice
    published.save(update_fields=["notice"])
    source = _move(evaluation, EvaluationState.FINAL)
    evaluation.finalised_at = now
    evaluation.save(update_fields=["state", "finalised_at"])
    audit_transition(
        actor=actor,
        target=evaluation,
        source=source,
        target_state=evaluation.state,
        message=f"{published.label}: {len(published.change_log)} changed",
    )
    return published


def _widen_quotas_for_ties(evaluation: Evaluation, winners: list[WinnerSpec]) -> None:
    """A tie at a quota boundary that the published rule leaves unbroken includes every tied
    organisation: the category's quota is raised to hold them (recorded in the audit)."""
    counts: dict[str, int] = {}
    for w in winners:
        counts[w.category] = counts.get(w.category, 0) + 1
    for category in evaluation.edition.categories.all():
        if category.quota is not None and counts.get(category.code, 0) > category.quota:
            before = category.quota
            category.quota = counts[category.code]
            category.save(update_fields=["quota"])
            audit_record(
                actor=None,
                action="update",
                target=category,
                changes={"quota": [before, category.quota]},
                message="tie at the quota boundary",
            )


@transaction.atomic
def objection_submit(*, actor: Any, evaluation: Evaluation, text: str, indicator_code: str = "") -> Objection:
    """An evaluated organisation's objection to its own result, during the window only."""
    evaluation = _lock(evaluation)
    published = evaluation.published_lists.order_by("-published_at", "-pk").first()
    result = (
        published.result_set.results.filter(organisation_id=getattr(actor, "organisation_id", None)).first()
        if published
        else None
    )
    require(actor, "awards.submit_objection", result)
    if evaluation.state != EvaluationState.OBJECTION:
        raise AwardsError(_("Objections are taken only while the results are out for objection."), code="window_closed")
    if timezone.localdate() > evaluation.objection_deadline:
        raise AwardsError(
            _("The objection window closed on %(date)s.") % {"date": f"{evaluation.objection_deadline:%Y-%m-%d}"},
            code="window_closed",
        )
    text = (text or "").strip()
    if not text:
        raise AwardsError({"text": _("Say what you object to and why.")})
    if indicator_code and not evaluation.scheme.indicators.filter(code=indicator_code).exists():
        raise AwardsError({"indicator_code": _("Unknown indicator “%(code)s”.") % {"code": indicator_code}})
    objection = Objection.objects.create(
        evaluation=evaluation,
        organisation_id=actor.organisation_id,
        published_list=published,
        indicator_code=indicator_code,
        text=text,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    audit_create(actor=actor, target=objection)
    recipient = published.result_set.computed_by or evaluation.opened_by
    notify(
        recipient=recipient,
        kind=notification_kinds.DECISION,
        message=OBJECTION_RECEIVED,
        params={"evaluation": str(evaluation), "organisation": actor.organisation.name_zh},
        url=evaluation.get_absolute_url(),
    )
    return objection


def scorers(objection: Objection) -> set[int]:
    """Users who scored what the objection is about: whoever computed the result set objected to,
    and whoever entered the organisation's value for the indicator named."""
    ids = {objection.published_list.result_set.computed_by_id}
    if objection.indicator_code:
        ids |= set(
            EnteredValue.objects.filter(
                evaluation=objection.evaluation,
                organisation=objection.organisation_id,
                indicator_code=objection.indicator_code,
            ).values_list("entered_by_id", flat=True)
        )
    ids.discard(None)
    return ids


@transaction.atomic
def objection_decide(*, actor: Any, objection: Objection, upheld: bool, reason: str) -> Objection:
    """Decide an objection (upheld or rejected) with a reason, by owning-department staff who did
    not score it (``same_person`` otherwise). The organisation is told. An upheld objection is
    followed by a correction (``entered_value_set``) and a new computation before the final list."""
    objection = (
        Objection.objects.select_for_update()
        .select_related("evaluation__programme", "published_list__result_set")
        .get(pk=objection.pk)
    )
    evaluation = objection.evaluation
    require(actor, "awards.decide_objection", evaluation)
    if objection.state != ObjectionState.SUBMITTED:
        raise AwardsError(_("This objection is already decided."), code="illegal_transition")
    _guard(evaluation, EvaluationState.OBJECTION)
    if actor.pk in scorers(objection):
        raise AwardsError(
            _("An objection is decided by someone other than the scorer; you scored this result."),
            code="same_person",
        )
    reason = (reason or "").strip()
    if not reason:
        raise AwardsError({"reason": _("Give the reason for the decision.")})
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    objection.decided_by = actor
    objection.decided_at = timezone.now()
    objection.decision_reason = reason
    objection.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    audit_transition(
        actor=actor, target=objection, source=ObjectionState.SUBMITTED, target_state=objection.state, message=reason
    )
    notify(
        recipient=objection.submitted_by,
        kind=notification_kinds.DECISION,
        message=OBJECTION_DECIDED,
        params={"evaluation": str(evaluation), "outcome": {"_t": OUTCOME_UPHELD if upheld else OUTCOME_REJECTED}},
        url=evaluation.get_absolute_url(),
        organisation=objection.submitted_by.organisation,
    )
    return objection
