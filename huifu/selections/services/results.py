"""Results: computed runs (versioned, never overwritten), the expert review, publication of the
winners (排名不分先后, pinyin order) handed to the awards commendation layer, and revocation.

A run stores its whole method: the rubric as the engine saw it, the normalisation per judge,
the quota formula with its rounding, the tie rule, every computed value with its inputs. A
recomputation is a new version; the older unpublished one is marked superseded."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from pypinyin import lazy_pinyin

from huifu.audit.services import audit_create, audit_transition
from huifu.awards.services.scoring import scale_values, score
from huifu.core.permissions import require
from huifu.notifications import kinds as notification_kinds
from huifu.notifications.services import notify

from .. import ranking
from ..models import (
    Application,
    ApplicationState,
    Award,
    AwardState,
    Category,
    Conflict,
    ConflictState,
    PhaseKind,
    ResultRow,
    ResultRun,
    RunState,
    Score,
)
from ..objective import METRICS
from ..rubric import computed_metrics, judged_indicators, scale_of, spec_of
from .common import SelectionError, local, phase_of, phase_state, require_phase

TIE_RULE = "total, then judges' score; a group still tied across the quota is left out whole"


def display_name(application: Application) -> str:
    if application.team_name:
        return application.team_name
    members = list(application.members.all())
    return members[0].full_name if members else application.reference


def pinyin_key(name: str) -> str:
    return " ".join(lazy_pinyin(name)).lower() + "\t" + name


def _effective_weights(spec: Any) -> dict[str, Decimal]:
    by_code = {i.code: i for i in spec.indicators}
    weights = {}
    for leaf in spec.leaves():
        weight = Decimal(1)
        node = leaf
        while node is not None:
            weight *= Decimal(node.weight) / Decimal(100)
            node = by_code.get(node.parent) if node.parent else None
        weights[leaf.code] = weight
    return weights


@transaction.atomic
def results_compute(*, actor: Any, category: Category) -> ResultRun:
    """Compute a new version of the category's results once scoring has closed."""
    category = Category.objects.select_for_update().select_related("selection", "scheme").get(pk=category.pk)
    require(actor, "selections.manage_selection", category)
    selection = category.selection
    state = phase_state(selection, PhaseKind.SCORING)
    if state != "after":
        phase = phase_of(selection, PhaseKind.SCORING)
        raise SelectionError(
            _("Results are computed after scoring closes (%(closes)s).")
            % {"closes": local(phase.closes_at) if phase else "—"},
            code="phase_not_closed",
        )
    if category.runs.filter(state=RunState.PUBLISHED).exists():
        raise SelectionError(
            _("The results of this category are published; revoke an award instead of recomputing."), code="published"
        )
    spec = spec_of(category)
    scale = scale_of(category)
    judged = judged_indicators(category)
    metrics = computed_metrics(category)
    weights = _effective_weights(spec)
    applications = list(
        Application.objects.filter(category=category, state=ApplicationState.CONFIRMED)
        .select_related("organisation")
        .prefetch_related("members")
        .order_by("number")
    )
    recused = set(
        Conflict.objects.filter(application__category=category, state__in=ConflictState.recusing()).values_list(
            "panel_member_id", "application_id"
        )
    )
    raw: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    excluded = 0
    for s in Score.objects.filter(application__in=applications):
        if (s.judge_id, s.application_id) in recused:
            excluded += 1  # scored before a conflict came to light: not counted
            continue
        raw[s.indicator][(s.judge_id, s.application_id)] = s.value
    normalised: dict[str, dict[tuple[int, int], Decimal]] = {}
    norm_method: dict[str, Any] = {}
    if category.normalise:
        for indicator in judged:
            normalised[indicator.code], norm_method[indicator.code] = ranking.normalise(
                raw.get(indicator.code, {}), min_scores=category.normalise_min_scores, scale=scale
            )

    def mean_for(values: dict[tuple[int, int], Decimal], application_id: int) -> Decimal | None:
        found = [v for (j, a), v in values.items() if a == application_id]
        return ranking.q3(sum(found, Decimal(0)) / len(found)) if found else None

    objective: dict[int, dict[str, Any]] = {a.pk: {} for a in applications}
    computed_values: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
    metric_counts: dict[int, dict[str, int]] = defaultdict(dict)
    needed = set(metrics.values()) | {code for code in spec.bonus_caps if code in METRICS}
    for application in applications:
        for metric in sorted(needed):
            found = METRICS[metric](application, selection.year)
            objective[application.pk][metric] = found
            metric_counts[application.pk][metric] = found["value"]
    for code, metric in metrics.items():
        for application in applications:
            computed_values[code][application.pk] = Decimal(metric_counts[application.pk][metric])
    directions = {i.code: i.direction for i in spec.indicators}
    scaled = {
        code: scale_values(values, direction=directions[code], scale=scale) for code, values in computed_values.items()
    }
    judged_weight = sum((weights[i.code] for i in judged), Decimal(0))
    quota, formula = ranking.quota(
        applicants=len(applications),
        threshold=category.quota_threshold,
        percent=category.quota_percent,
        maximum=category.quota_max,
        rounding=category.quota_rounding,
    )
    rows: list[tuple[Application, ranking.Ranked, dict[str, Any]]] = []
    for application in applications:
        leaf_raw: dict[str, Decimal] = {}
        leaf_norm: dict[str, Decimal] = {}
        for indicator in judged:
            leaf_raw[indicator.code] = mean_for(raw.get(indicator.code, {}), application.pk) or Decimal(0)
            if category.normalise:
                leaf_norm[indicator.code] = mean_for(normalised[indicator.code], application.pk) or Decimal(0)
        used = leaf_norm if category.normalise else leaf_raw
        leaves = {**used, **{code: scaled[code][application.pk] for code in scaled}}
        bonuses = {
            code: Decimal(metric_counts[application.pk][code]) * category.bonus_points_per_unit
            for code in spec.bonus_caps
            if code in METRICS
        }
        result = score(spec, leaves, bonuses=bonuses)

        def part(values: dict[str, Decimal]) -> Decimal:
            if not judged_weight:
                return Decimal(0)
            return ranking.q3(sum((weights[c] * v for c, v in values.items()), Decimal(0)) / judged_weight)

        judges_raw = part(leaf_raw)
        judges_norm = part(leaf_norm) if category.normalise else None
        detail = {
            "metrics": objective[application.pk],
            "leaves": {k: str(v) for k, v in result.leaf_scores.items()},
            "judged_raw": {k: str(v) for k, v in leaf_raw.items()},
            "judged_normalised": {k: str(v) for k, v in leaf_norm.items()},
            "bonuses": {k: str(v) for k, v in result.bonuses.items()},
            "base": str(result.base),
            "bonus": str(result.bonus),
        }
        ranked = ranking.Ranked(
            key=application.pk,
            total=result.total,
            judges=judges_norm if judges_norm is not None else judges_raw,
        )
        rows.append((application, ranked, {"detail": detail, "raw": judges_raw, "norm": judges_norm}))
    ranking.rank([r for _a, r, _d in rows], quota=quota)
    previous = category.runs.filter(state__in=[RunState.COMPUTED, RunState.REVIEWED])
    previous.update(state=RunState.SUPERSEDED)
    version = (category.runs.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    run = ResultRun.objects.create(
        category=category,
        version=version,
        method={
            "year": selection.year,
            "scheme_id": category.scheme_id,
            "scheme": spec.as_json(),
            "normalise": category.normalise,
            "normalisation": norm_method,
            "quota": formula,
            "rounding": category.quota_rounding,
            "tie_rule": TIE_RULE,
            "bonus_points_per_unit": str(category.bonus_points_per_unit),
            "scores_not_counted_recused": excluded,
        },
        applicants=len(applications),
        quota=quota,
        computed_by=actor,
    )
    ResultRow.objects.bulk_create(
        [
            ResultRow(
                run=run,
                application=application,
                judges_raw=data["raw"],
                judges_normalised=data["norm"],
                objective=data["detail"],
                total=ranked.total,
                rank=ranked.rank,
                winner=ranked.winner,
                note=ranked.note,
            )
            for application, ranked, data in rows
        ]
    )
    audit_create(actor=actor, target=run, message=formula)
    return run


def _latest(run: ResultRun) -> ResultRun:
    run = ResultRun.objects.select_for_update().select_related("category__selection").get(pk=run.pk)
    return run


@transaction.atomic
def results_review(*, actor: Any, run: ResultRun) -> ResultRun:
    """Record the expert review's confirmation of a computed run, inside the review window."""
    run = _latest(run)
    require(actor, "selections.manage_selection", run)
    require_phase(run.category.selection, PhaseKind.REVIEW)
    if run.state != RunState.COMPUTED:
        raise SelectionError(_("Only the latest computed version can be confirmed."), code="illegal_transition")
    run.state = RunState.REVIEWED
    run.reviewed_by = actor
    run.reviewed_at = timezone.now()
    run.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    audit_transition(actor=actor, target=run, source=RunState.COMPUTED, target_state=run.state)
    return run


@transaction.atomic
def results_publish(*, actor: Any, run: ResultRun) -> list[Award]:
    """Publish a reviewed run inside the publication window: one ``Award`` per winner, listed
    排名不分先后 in pinyin order, handed to the awards commendation layer (winner list,
    certificates with a verification QR, public page); the applying companies are told."""
    run = _latest(run)
    require(actor, "selections.manage_selection", run)
    require_phase(run.category.selection, PhaseKind.PUBLICATION)
    if run.state != RunState.REVIEWED:
        raise SelectionError(
            _("Only a version confirmed by the expert review can be published."), code="illegal_transition"
        )
    winners = [
        row.application
        for row in run.rows.filter(winner=True)
        .select_related("application__organisation")
        .prefetch_related("application__members")
    ]
    awards = [Award(application=a, run=run, sort_key=pinyin_key(display_name(a))) for a in winners]
    Award.objects.bulk_create(awards)
    awards = list(Award.objects.filter(run=run).select_related("application__organisation").order_by("sort_key"))
    run.state = RunState.PUBLISHED
    run.published_at = timezone.now()
    run.save(update_fields=["state", "published_at"])
    from .commendation import hand_over

    hand_over(actor=actor, run=run, awards=awards)
    audit_transition(actor=actor, target=run, source=RunState.REVIEWED, target_state=run.state)
    for row in run.rows.select_related("application"):
        _tell_company(row.application, won=row.winner)
    return awards


def _tell_company(application: Application, *, won: bool) -> None:
    from huifu.accounts.models import User

    for user in User.objects.filter(organisation_id=application.organisation_id, is_active=True, kind="member"):
        notify(
            recipient=user,
            kind=notification_kinds.PUBLICATION,
            message=gettext_noop("The results of %(category)s are published: %(reference)s %(outcome)s."),
            params={
                "category": application.category.name_zh,
                "reference": application.reference,
                "outcome": {
                    "_t": gettext_noop("is among the winners") if won else gettext_noop("is not among the winners")
                },
            },
            url=reverse("selections:application", args=[application.pk]),
            organisation=application.organisation,
        )


@transaction.atomic
def award_revoke(*, actor: Any, award: Award, reason: str) -> Award:
    """Revoke a published award (e.g. after a later sanction). The award stays, marked revoked
    with the reason; the commendation layer revokes the certificate."""
    award = Award.objects.select_for_update().select_related("run__category__selection", "application").get(pk=award.pk)
    require(actor, "selections.revoke_award", award)
    reason = (reason or "").strip()
    if not reason:
        raise SelectionError({"reason": _("Give the reason for the revocation.")}, code="required")
    if award.state != AwardState.AWARDED:
        raise SelectionError(_("This award is already revoked."), code="illegal_transition")
    award.state = AwardState.REVOKED
    award.revoked_at = timezone.now()
    award.revoked_by = actor
    award.revoked_reason = reason
    award.save(update_fields=["state", "revoked_at", "revoked_by", "revoked_reason"])
    from .commendation import revoke

    revoke(actor=actor, award=award, reason=reason)
    audit_transition(actor=actor, target=award, source=AwardState.AWARDED, target_state=award.state, message=reason)
    return award
