"""Evaluation schemes: create a year's version (empty or from last year's), set the tree and
weights, freeze. Weights of every level must add up to 100 %: a scheme that does not is refused
with the level and its sum named, and nothing is saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huifu.audit.services import audit_create, audit_record, audit_transition
from huifu.core.permissions import require

from ..models import (
    AwardProgramme,
    BonusItem,
    DeductionType,
    Direction,
    Indicator,
    IndicatorSource,
    SchemeState,
    SchemeVersion,
)
from . import scoring
from .errors import AwardsError


@dataclass(frozen=True)
class IndicatorInput:
    """One node of the tree to create. ``parent`` is the parent's code (None: top level)."""

    code: str
    name_zh: str
    name_en: str
    weight: Decimal | str | int
    parent: str | None = None
    direction: str = Direction.HIGHER_BETTER
    unit: str = ""
    source: str = ""
    metric: str = ""
    description: str = ""


@dataclass(frozen=True)
class BonusSpec:
    code: str
    name_zh: str
    name_en: str
    cap: Decimal | str | int


def _decimal(value: Any, field: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise AwardsError({field: _("“%(value)s” is not a number.") % {"value": value}}, code="invalid") from None
    if not result.is_finite():
        raise AwardsError({field: _("“%(value)s” is not a number.") % {"value": value}}, code="invalid")
    return result


def _guard_draft(scheme: SchemeVersion) -> None:
    if scheme.state != SchemeState.DRAFT:
        raise AwardsError(
            _("The %(scheme)s scheme is frozen (its evaluation is open); make next year's version instead.")
            % {"scheme": scheme},
            code="scheme_frozen",
        )


def _specs(scheme: SchemeVersion) -> list[scoring.IndicatorSpec]:
    by_pk = {i.pk: i for i in scheme.indicators.all()}
    return [
        scoring.IndicatorSpec(
            code=i.code,
            parent=by_pk[i.parent_id].code if i.parent_id else None,
            weight=i.weight,
            direction=i.direction,
            source=i.source,
            name_zh=i.name_zh,
            name_en=i.name_en,
            unit=i.unit,
        )
        for i in by_pk.values()
    ]


def scheme_spec(scheme: SchemeVersion) -> scoring.SchemeSpec:
    """The engine's view of a scheme (stored with every result set, so it can be replayed)."""
    return scoring.SchemeSpec(
        indicators=tuple(_specs(scheme)),
        scale=scheme.scale,
        bonus_caps={b.code: b.cap for b in scheme.bonus_items.all()},
        bonus_cap=scheme.bonus_cap,
        deduction_points={d.measure_kind: d.points for d in scheme.deduction_types.all()},
        deduction_cap=scheme.deduction_cap,
    )


def scheme_validate(scheme: SchemeVersion) -> None:
    """Raise ``AwardsError`` (code ``weights_not_100``) naming every level whose weights do not
    add up to 100 %, and when a leaf has no source or the tree is empty."""
    specs = _specs(scheme)
    if not specs:
        raise AwardsError({"indicators": _("The scheme has no indicators.")}, code="invalid")
    names = {i.code: f"{i.code} {i.name_zh}" for i in specs}
    messages = []
    for problem in scoring.weight_problems(specs):
        level = _("the top level") if problem.parent is None else f"“{names[problem.parent]}”"
        messages.append(
            _("The weights under %(level)s add up to %(total)s %%; they must add up to 100 %%.")
            % {"level": level, "total": format(problem.total.normalize(), "f")}
        )
    if messages:
        raise AwardsError({"weights": " ".join(messages)}, code="weights_not_100")
    parents = {i.parent for i in specs}
    sources = {i.code: i.source for i in scheme.indicators.all()}
    missing = [c for c in sources if c not in parents and not sources[c]]
    if missing:
        raise AwardsError(
            {"source": _("Say how these indicators are obtained: %(codes)s.") % {"codes": ", ".join(missing)}},
            code="invalid",
        )


def _add_indicators(scheme: SchemeVersion, indicators: Sequence[IndicatorInput]) -> None:
    created: dict[str, Indicator] = {}
    for order, node in enumerate(indicators):
        if node.parent is not None and node.parent not in created:
            raise AwardsError(
                {
                    "parent": _("Indicator %(code)s names the parent %(parent)s, which comes later or does not exist.")
                    % {"code": node.code, "parent": node.parent}
                },
                code="invalid",
            )
        if node.code in created:
            raise AwardsError({"code": _("The code %(code)s is used twice.") % {"code": node.code}}, code="invalid")
        weight = _decimal(node.weight, "weight")
        if weight < 0 or weight > 100:
            raise AwardsError({"weight": _("A weight is a percentage from 0 to 100.")}, code="invalid")
        if node.source == IndicatorSource.COMPUTED:
            from ..metrics import METRICS

            if node.metric not in METRICS:
                raise AwardsError(
                    {
                        "metric": _("Indicator %(code)s: unknown metric “%(metric)s”.")
                        % {"code": node.code, "metric": node.metric}
                    },
                    code="invalid",
                )
        created[node.code] = Indicator.objects.create(
            scheme=scheme,
            parent=created.get(node.parent) if node.parent else None,
            code=node.code,
            name_zh=node.name_zh,
            name_en=node.name_en,
            weight=weight,
            direction=node.direction,
            unit=node.unit,
            source=node.source,
            metric=node.metric,
            description=node.description,
            sort_order=order,
        )


@transaction.atomic
def scheme_create(
    *,
    actor: Any,
    programme: AwardProgramme,
    year: int,
    indicators: Sequence[IndicatorInput],
    category_code: str = "",
    title: str = "",
    bonus_items: Sequence[BonusSpec] = (),
    bonus_cap: Decimal | None = None,
    deductions: dict[str, Decimal] | None = None,
    deductions_to_be_checked: bool = False,
    deduction_cap: Decimal | None = None,
    tie_break: str = "",
    scale: Decimal = Decimal("100"),
    notes: str = "",
    based_on: SchemeVersion | None = None,
) -> SchemeVersion:
    """A draft scheme for ``year`` with its whole tree. Refused (nothing saved) when the weights
    of a level do not add up to 100 % (``weights_not_100``) or the year already has one."""
    require(actor, "awards.manage_programme", programme)
    if SchemeVersion.objects.filter(programme=programme, year=year, category_code=category_code).exists():
        raise AwardsError({"year": _("%(year)s already has a scheme.") % {"year": year}}, code="invalid")
    scheme = SchemeVersion.objects.create(
        programme=programme,
        year=year,
        category_code=category_code,
        title=title,
        scale=_decimal(scale, "scale"),
        bonus_cap=bonus_cap,
        deduction_cap=deduction_cap,
        tie_break=tie_break or SchemeVersion._meta.get_field("tie_break").default,
        notes=notes,
        based_on=based_on,
    )
    _add_indicators(scheme, indicators)
    for order, item in enumerate(bonus_items):
        cap = _decimal(item.cap, "cap")
        if cap < 0:
            raise AwardsError({"cap": _("A bonus cap cannot be negative.")}, code="invalid")
        BonusItem.objects.create(
            scheme=scheme, code=item.code, name_zh=item.name_zh, name_en=item.name_en, cap=cap, sort_order=order
        )
    for kind, points in (deductions or {}).items():
        DeductionType.objects.create(
            scheme=scheme,
            measure_kind=kind,
            points=_decimal(points, "points"),
            to_be_checked=deductions_to_be_checked,
            source_note="《期货公司分类评价规定》2025 征求意见稿示例" if deductions_to_be_checked else "",
        )
    scheme_validate(scheme)
    audit_create(actor=actor, target=scheme, message=f"{len(indicators)} indicators")
    return scheme


def _indicator_inputs(scheme: SchemeVersion) -> list[IndicatorInput]:
    by_pk = {i.pk: i for i in scheme.indicators.all()}
    return [
        IndicatorInput(
            code=i.code,
            name_zh=i.name_zh,
            name_en=i.name_en,
            weight=i.weight,
            parent=by_pk[i.parent_id].code if i.parent_id else None,
            direction=i.direction,
            unit=i.unit,
            source=i.source,
            metric=i.metric,
            description=i.description,
        )
        for i in by_pk.values()
    ]


@transaction.atomic
def scheme_new_version(
    *, actor: Any, scheme: SchemeVersion, year: int, weights: dict[str, Decimal | str | int] | None = None
) -> SchemeVersion:
    """Next year's draft: a copy of ``scheme`` (tree, bonus items, deduction types, tie-break)
    with the changed ``weights`` ({code: percent}); the old version is untouched."""
    inputs = _indicator_inputs(scheme)
    unknown = set(weights or {}) - {i.code for i in inputs}
    if unknown:
        raise AwardsError({"weights": _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}})
    inputs = [IndicatorInput(**{**i.__dict__, "weight": (weights or {}).get(i.code, i.weight)}) for i in inputs]
    new = scheme_create(
        actor=actor,
        programme=scheme.programme,
        year=year,
        category_code=scheme.category_code,
        title=scheme.title.replace(str(scheme.year), str(year)),
        indicators=inputs,
        bonus_items=[BonusSpec(b.code, b.name_zh, b.name_en, b.cap) for b in scheme.bonus_items.all()],
        bonus_cap=scheme.bonus_cap,
        deduction_cap=scheme.deduction_cap,
        tie_break=scheme.tie_break,
        scale=scheme.scale,
        notes=scheme.notes,
        based_on=scheme,
    )
    for d in scheme.deduction_types.all():
        DeductionType.objects.create(
            scheme=new,
            measure_kind=d.measure_kind,
            points=d.points,
            to_be_checked=d.to_be_checked,
            source_note=d.source_note,
        )
    return new


@transaction.atomic
def scheme_set_weights(*, actor: Any, scheme: SchemeVersion, weights: dict[str, Decimal | str | int]) -> SchemeVersion:
    """Change weights of a draft scheme ({code: percent}). Refused as a whole (nothing saved) if
    a level then does not add up to 100 % or the scheme is frozen."""
    require(actor, "awards.manage_programme", scheme.programme)
    scheme = SchemeVersion.objects.select_for_update().get(pk=scheme.pk)
    _guard_draft(scheme)
    indicators = {i.code: i for i in scheme.indicators.all()}
    unknown = set(weights) - set(indicators)
    if unknown:
        raise AwardsError({"weights": _("Unknown indicators: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}})
    before = {code: str(indicators[code].weight) for code in weights}
    for code, value in weights.items():
        weight = _decimal(value, "weight")
        if weight < 0 or weight > 100:
            raise AwardsError({"weight": _("A weight is a percentage from 0 to 100.")}, code="invalid")
        indicators[code].weight = weight
        indicators[code].save(update_fields=["weight"])
    scheme_validate(scheme)
    audit_record(
        actor=actor,
        action="update",
        target=scheme,
        changes={code: [before[code], str(Decimal(str(v)))] for code, v in weights.items()},
        message="weights",
    )
    return scheme


@transaction.atomic
def scheme_freeze(*, actor: Any, scheme: SchemeVersion) -> SchemeVersion:
    """Freeze a draft scheme (validated first). Called when its evaluation opens, or by the
    analyst selection when a category's rubric is published. Freezing a frozen scheme is refused."""
    require(actor, "awards.manage_programme", scheme.programme)
    scheme = SchemeVersion.objects.select_for_update().get(pk=scheme.pk)
    _guard_draft(scheme)
    scheme_validate(scheme)
    scheme.state = SchemeState.FROZEN
    scheme.frozen_at = timezone.now()
    scheme.frozen_by = actor if getattr(actor, "is_authenticated", False) else None
    scheme.save(update_fields=["state", "frozen_at", "frozen_by"])
    audit_transition(actor=actor, target=scheme, source=SchemeState.DRAFT, target_state=SchemeState.FROZEN)
    return scheme


def scheme_leaves(scheme: SchemeVersion) -> list[Indicator]:
    """The scored indicators (leaves of the tree) in the scheme's order."""
    indicators = list(scheme.indicators.all())
    parents = {i.parent_id for i in indicators}
    return [i for i in indicators if i.pk not in parents]


def scheme_total(
    scheme: SchemeVersion,
    values: dict[str, Decimal],
    *,
    bonuses: dict[str, Decimal] | None = None,
    measures: Sequence[dict[str, Any]] = (),
) -> scoring.Score:
    """The weighted total for leaf scores ``values`` ({code: 0..scale}), with bonus caps and
    deductions applied (``scoring.score`` on the scheme). ``Score.total`` is the total,
    ``Score.node_scores`` the breakdown per indicator. A score outside 0..scale is refused."""
    for code, value in values.items():
        if Decimal(value) < 0 or Decimal(value) > scheme.scale:
            raise AwardsError(
                {code: _("A score must be from 0 to %(scale)s.") % {"scale": format(scheme.scale.normalize(), "f")}},
                code="invalid",
            )
    return scoring.score(scheme_spec(scheme), values, bonuses=bonuses, measures=measures)
