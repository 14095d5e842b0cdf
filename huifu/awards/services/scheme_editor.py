"""The staff editor of a DRAFT scheme version: indicators (add, change, remove with their
subtree), bonus items and the overall caps, the deduction table (points per measure type) and
the tie-break rule. Each change is one call: the owning department only, one transaction, one
audit entry on the scheme; a frozen scheme refuses every change (``scheme_frozen``).

While drafting, a level's weights may be out of balance (staff add the indicators one by one).
The 100 % rule lives in ONE place, ``scheme_validate`` (via ``scoring.weight_sums``): freezing the
scheme, and so opening an evaluation on it, is refused naming the level and its sum.
``scheme_level_sums`` shows the sums on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from huifu.audit.models import AuditAction
from huifu.audit.services import audit_record
from huifu.core.permissions import require

from ..models import (
    BonusItem,
    DeductionType,
    Direction,
    Indicator,
    IndicatorSource,
    MeasureKind,
    SchemeVersion,
    TieBreak,
)
from . import scoring
from .errors import AwardsError
from .schemes import _decimal, _guard_draft

HUNDRED = Decimal("100")
INDICATOR_FIELDS = ("code", "name_zh", "name_en", "weight", "direction", "unit", "source", "metric", "description")


def _lock(scheme: SchemeVersion, actor: Any) -> SchemeVersion:
    require(actor, "awards.manage_programme", scheme.programme)
    locked = SchemeVersion.objects.select_for_update().select_related("programme").get(pk=scheme.pk)
    _guard_draft(locked)
    return locked


def _amount(value: Any, field: str, *, maximum: Decimal | None = None) -> Decimal:
    """A non-negative decimal with at most two places (and at most ``maximum``)."""
    number = _decimal(value, field)
    if number < 0:
        raise AwardsError({field: _("It cannot be negative.")}, code="invalid")
    if maximum is not None and number > maximum:
        raise AwardsError(
            {field: _("It can be at most %(maximum)s.") % {"maximum": format(maximum.normalize(), "f")}},
            code="invalid",
        )
    if number != number.quantize(Decimal("0.01")):
        raise AwardsError({field: _("Give at most two decimal places.")}, code="invalid")
    return number


def _required(value: Any, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise AwardsError({field: _("This field is required.")}, code="invalid")
    if len(text) > max_length:
        raise AwardsError(
            {field: _("At most %(count)s characters.") % {"count": max_length}},
            code="invalid",
        )
    return text


def _indicator_values(scheme: SchemeVersion, data: dict[str, Any], *, instance: Indicator | None) -> dict[str, Any]:
    from ..metrics import METRICS

    code = _required(data.get("code"), "code", 40)
    clash = scheme.indicators.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise AwardsError(
            {"code": _("The code %(code)s is already used in this scheme.") % {"code": code}}, code="invalid"
        )
    direction = data.get("direction") or Direction.HIGHER_BETTER
    if direction not in Direction.values:
        raise AwardsError({"direction": _("Choose a direction from the list.")}, code="invalid")
    source = data.get("source") or ""
    if source and source not in IndicatorSource.values:
        raise AwardsError({"source": _("Choose a source from the list.")}, code="invalid")
    metric = (data.get("metric") or "").strip() if source == IndicatorSource.COMPUTED else ""
    if source == IndicatorSource.COMPUTED and metric not in METRICS:
        raise AwardsError(
            {"metric": _("Unknown metric “%(metric)s”: choose one of Huifu's metrics.") % {"metric": metric}},
            code="invalid",
        )
    return {
        "code": code,
        "name_zh": _required(data.get("name_zh"), "name_zh", 120),
        "name_en": _required(data.get("name_en"), "name_en", 160),
        "weight": _amount(data.get("weight"), "weight", maximum=HUNDRED),
        "direction": direction,
        "unit": (data.get("unit") or "").strip()[:40],
        "source": source,
        "metric": metric,
        "description": (data.get("description") or "").strip(),
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [str(before.get(k, "")), str(v)] for k, v in after.items() if str(before.get(k, "")) != str(v)}


@transaction.atomic
def indicator_add(*, actor: Any, scheme: SchemeVersion, parent: Indicator | None = None, **data: Any) -> Indicator:
    """Add an indicator to a draft scheme, at the top level or under ``parent`` (of the same
    scheme). ``data``: code (unique in the version), name_zh, name_en, weight (0..100 %),
    direction, unit, source, metric (a key of ``awards.metrics.METRICS`` when computed),
    description. The level may be out of balance until the scheme is frozen."""
    scheme = _lock(scheme, actor)
    if parent is not None and parent.scheme_id != scheme.pk:
        raise AwardsError({"parent": _("The parent belongs to another scheme.")}, code="invalid")
    values = _indicator_values(scheme, data, instance=None)
    last = scheme.indicators.order_by("-sort_order").values_list("sort_order", flat=True).first()
    indicator = Indicator.objects.create(
        scheme=scheme, parent=parent, sort_order=0 if last is None else last + 1, **values
    )
    if parent is not None and parent.source:
        # a parent is scored from its children, not obtained itself
        Indicator.objects.filter(pk=parent.pk).update(source="", metric="")
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={f"indicator {values['code']}": ["", f"{values['name_zh']} {values['weight']} %"]},
        message=_indicator_message("indicator added", indicator),
    )
    return indicator


def _indicator_message(what: str, indicator: Indicator) -> str:
    return f"{what}: {indicator.code} {indicator.name_zh}"


@transaction.atomic
def indicator_update(*, actor: Any, indicator: Indicator, **data: Any) -> Indicator:
    """Change an indicator of a draft scheme (same fields as ``indicator_add``; its place in the
    tree stays)."""
    scheme = _lock(indicator.scheme, actor)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, scheme=scheme)
    before = {f: getattr(indicator, f) for f in INDICATOR_FIELDS}
    values = _indicator_values(scheme, data, instance=indicator)
    if values["source"] and indicator.children.exists():
        raise AwardsError(
            {"source": _("This indicator has sub-indicators: it is scored from them and has no source of its own.")},
            code="invalid",
        )
    for field, value in values.items():
        setattr(indicator, field, value)
    indicator.save(update_fields=list(values))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes=_changes(before, values),
        message=_indicator_message("indicator changed", indicator),
    )
    return indicator


def tree_order(indicators: list[Indicator], root: Indicator | None = None) -> list[Indicator]:
    """``indicators`` (one scheme's) in tree order: each parent followed by its subtree, each
    node with ``depth`` set; from ``root`` only when given."""
    children: dict[int | None, list[Indicator]] = {}
    for node in indicators:
        children.setdefault(node.parent_id, []).append(node)
    out: list[Indicator] = []
    stack = (
        [(n, 0) for n in indicators if n.pk == root.pk]
        if root is not None
        else [(n, 0) for n in children.get(None, [])]
    )
    while stack:
        node, depth = stack.pop(0)
        node.depth = depth
        out.append(node)
        stack[0:0] = [(child, depth + 1) for child in children.get(node.pk, [])]
    return out


def indicator_subtree(indicator: Indicator) -> list[Indicator]:
    """The indicator and everything under it, parents first (what a removal takes away)."""
    return tree_order(list(indicator.scheme.indicators.all()), root=indicator)


@transaction.atomic
def indicator_remove(*, actor: Any, indicator: Indicator) -> list[str]:
    """Remove an indicator of a draft scheme with its whole subtree. Returns the removed codes."""
    scheme = _lock(indicator.scheme, actor)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk, scheme=scheme)
    removed = indicator_subtree(indicator)
    codes = [node.code for node in removed]
    indicator.delete()  # children cascade
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={f"indicator {node.code}": [f"{node.name_zh} {node.weight} %", ""] for node in removed},
        message=f"indicators removed: {', '.join(codes)}",
    )
    return codes


def _bonus_values(scheme: SchemeVersion, data: dict[str, Any], *, instance: BonusItem | None) -> dict[str, Any]:
    code = _required(data.get("code"), "code", 40)
    clash = scheme.bonus_items.filter(code=code)
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise AwardsError(
            {"code": _("The code %(code)s is already used in this scheme.") % {"code": code}}, code="invalid"
        )
    return {
        "code": code,
        "name_zh": _required(data.get("name_zh"), "name_zh", 120),
        "name_en": _required(data.get("name_en"), "name_en", 160),
        "cap": _amount(data.get("cap"), "cap", maximum=Decimal("9999.99")),
    }


@transaction.atomic
def bonus_item_add(*, actor: Any, scheme: SchemeVersion, **data: Any) -> BonusItem:
    """Add a bonus item (code, name_zh, name_en, cap in points) to a draft scheme."""
    scheme = _lock(scheme, actor)
    values = _bonus_values(scheme, data, instance=None)
    item = BonusItem.objects.create(scheme=scheme, sort_order=scheme.bonus_items.count(), **values)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={f"bonus {item.code}": ["", f"{item.name_zh} ≤ {item.cap}"]},
        message=f"bonus item added: {item.code}",
    )
    return item


@transaction.atomic
def bonus_item_update(*, actor: Any, item: BonusItem, **data: Any) -> BonusItem:
    """Change a bonus item of a draft scheme."""
    scheme = _lock(item.scheme, actor)
    item = BonusItem.objects.select_for_update().get(pk=item.pk, scheme=scheme)
    before = {f: getattr(item, f) for f in ("code", "name_zh", "name_en", "cap")}
    values = _bonus_values(scheme, data, instance=item)
    for field, value in values.items():
        setattr(item, field, value)
    item.save(update_fields=list(values))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes=_changes(before, values),
        message=f"bonus item changed: {item.code}",
    )
    return item


@transaction.atomic
def bonus_item_remove(*, actor: Any, item: BonusItem) -> None:
    """Remove a bonus item of a draft scheme."""
    scheme = _lock(item.scheme, actor)
    item = BonusItem.objects.get(pk=item.pk, scheme=scheme)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={f"bonus {item.code}": [f"{item.name_zh} ≤ {item.cap}", ""]},
        message=f"bonus item removed: {item.code}",
    )
    item.delete()


@transaction.atomic
def deduction_type_set(
    *, actor: Any, scheme: SchemeVersion, measure_kind: str, points: Any, to_be_checked: bool = False
) -> DeductionType:
    """Set the points a measure type deducts under a draft scheme (added, or changed)."""
    scheme = _lock(scheme, actor)
    if measure_kind not in MeasureKind.values:
        raise AwardsError({"measure_kind": _("Choose a measure type from the list.")}, code="invalid")
    value = _amount(points, "points", maximum=Decimal("999.99"))
    existing = scheme.deduction_types.filter(measure_kind=measure_kind).first()
    before = str(existing.points) if existing else ""
    deduction, _created = DeductionType.objects.update_or_create(
        scheme=scheme,
        measure_kind=measure_kind,
        defaults={"points": value, "to_be_checked": bool(to_be_checked)},
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={f"deduction {measure_kind}": [before, str(value)]},
        message=f"deduction points set: {measure_kind}",
    )
    return deduction


@transaction.atomic
def deduction_type_remove(*, actor: Any, deduction: DeductionType) -> None:
    """Remove a measure type from a draft scheme's deduction table."""
    scheme = _lock(deduction.scheme, actor)
    deduction = DeductionType.objects.get(pk=deduction.pk, scheme=scheme)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=scheme,
        changes={f"deduction {deduction.measure_kind}": [str(deduction.points), ""]},
        message=f"deduction type removed: {deduction.measure_kind}",
    )
    deduction.delete()


@transaction.atomic
def scheme_update(
    *, actor: Any, scheme: SchemeVersion, bonus_cap: Any, deduction_cap: Any, tie_break: str, notes: str = ""
) -> SchemeVersion:
    """Change a draft scheme's overall bonus cap, deduction cap (None: no cap), tie-break rule
    (published with the scheme) and notes."""
    scheme = _lock(scheme, actor)
    if tie_break not in TieBreak.values:
        raise AwardsError({"tie_break": _("Choose a tie-break rule from the list.")}, code="invalid")
    values = {
        "bonus_cap": None if bonus_cap in (None, "") else _amount(bonus_cap, "bonus_cap", maximum=Decimal("9999.99")),
        "deduction_cap": None
        if deduction_cap in (None, "")
        else _amount(deduction_cap, "deduction_cap", maximum=Decimal("9999.99")),
        "tie_break": tie_break,
        "notes": (notes or "").strip(),
    }
    before = {f: getattr(scheme, f) for f in values}
    for field, value in values.items():
        setattr(scheme, field, value)
    scheme.save(update_fields=list(values))
    audit_record(
        actor=actor, action=AuditAction.UPDATE, target=scheme, changes=_changes(before, values), message="rules"
    )
    return scheme


@dataclass(frozen=True)
class LevelSum:
    parent: Indicator | None
    total: Decimal

    @property
    def balanced(self) -> bool:
        return self.total == HUNDRED


def scheme_level_sums(indicators: list[Indicator]) -> list[LevelSum]:
    """Per level of the tree (top level first, then each parent in tree order), the sum of its
    weights (``scoring.weight_sums``, the rule ``scheme_validate`` applies)."""
    by_pk = {i.pk: i for i in indicators}
    specs = [
        scoring.IndicatorSpec(
            code=str(i.pk),
            parent=str(i.parent_id) if i.parent_id else None,
            weight=i.weight,
            direction=i.direction,
            source=i.source,
            name_zh=i.name_zh,
            name_en=i.name_en,
            unit=i.unit,
        )
        for i in indicators
    ]
    sums = scoring.weight_sums(specs)
    ordered = [None] + [str(i.pk) for i in indicators if str(i.pk) in sums]
    return [LevelSum(by_pk[int(key)] if key else None, sums[key]) for key in ordered if key in sums]
