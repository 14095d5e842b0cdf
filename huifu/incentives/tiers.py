"""Tier tables of a project rule: parsing, validation and the one computation.

A tier table is a JSON list, ordered by ``from``::

    [{"from": "0", "to": "100000", "rate": "0.10"},
     {"from": "100000", "to": null, "rate": "0.20"}]

* ``from`` (inclusive) and ``to`` (exclusive; ``null`` = no upper bound, only on the last band)
  are amounts of the rule's basis (lots, CNY, CNY of fees, or lots of average open interest).
* ``rate`` is the share of the fees that is reduced, 0 ≤ rate ≤ 1.
* Bands must not overlap; gaps are allowed and earn nothing. Numbers are decimal strings.

Computation (see README.md, "Rule schema"): with ``measure`` M and the fees F of the same
member, product and window,

* ``marginal``: reduction = Σ rate_b × F × (part of M inside band b) / M
* ``whole``:    reduction = rate of the band containing M × F

The result is not rounded; the settlement rounds each line to 0.01 CNY (ROUND_HALF_UP).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class TierMode:
    MARGINAL = "marginal"
    WHOLE = "whole"


@dataclass(frozen=True)
class Tier:
    lower: Decimal
    upper: Decimal | None
    rate: Decimal

    def as_json(self) -> dict[str, str | None]:
        return {
            "from": _fmt(self.lower),
            "to": None if self.upper is None else _fmt(self.upper),
            "rate": _fmt(self.rate),
        }


def _fmt(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _decimal(raw: Any, *, index: int, key: str) -> Decimal:
    if isinstance(raw, float | bool) or raw is None or raw == "":
        raise ValidationError(
            _('Tier %(n)s: “%(key)s” must be a decimal number written as a string, e.g. "0.10".')
            % {"n": index, "key": key}
        )
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError(
            _("Tier %(n)s: “%(key)s” is not a number: %(value)s.") % {"n": index, "key": key, "value": raw}
        ) from None
    if not value.is_finite():
        raise ValidationError(_("Tier %(n)s: “%(key)s” is not a finite number.") % {"n": index, "key": key})
    return value


def parse_tiers(raw: Any) -> list[Tier]:
    """Validate a tier table and return it as :class:`Tier` objects.

    Raises ValidationError with a message naming the band and the problem: not a list, empty,
    unknown keys, non-numeric values, negative bounds, ``to`` not above ``from``, an open band
    that is not last, unsorted or overlapping bands, a rate below 0 or above 1.
    """
    if not isinstance(raw, list):
        raise ValidationError(_("Tiers must be a list of bands."))
    if not raw:
        raise ValidationError(_("Give at least one tier."))
    tiers: list[Tier] = []
    for index, band in enumerate(raw, start=1):
        if not isinstance(band, dict):
            raise ValidationError(_("Tier %(n)s must be an object with from, to and rate.") % {"n": index})
        unknown = set(band) - {"from", "to", "rate"}
        if unknown:
            raise ValidationError(
                _("Tier %(n)s has unknown keys: %(keys)s.") % {"n": index, "keys": ", ".join(sorted(unknown))}
            )
        if "from" not in band or "rate" not in band:
            raise ValidationError(_("Tier %(n)s needs “from” and “rate”.") % {"n": index})
        lower = _decimal(band["from"], index=index, key="from")
        upper = None if band.get("to") in (None, "") else _decimal(band["to"], index=index, key="to")
        rate = _decimal(band["rate"], index=index, key="rate")
        if lower < 0:
            raise ValidationError(_("Tier %(n)s: “from” must not be negative.") % {"n": index})
        if upper is not None and upper <= lower:
            raise ValidationError(_("Tier %(n)s: “to” must be greater than “from”.") % {"n": index})
        if rate < 0:
            raise ValidationError(_("Tier %(n)s: the rate must not be negative.") % {"n": index})
        if rate > 1:
            raise ValidationError(
                _("Tier %(n)s: the rate is a share of the fees and must not exceed 1.") % {"n": index}
            )
        tiers.append(Tier(lower, upper, rate))
    for index, (previous, current) in enumerate(zip(tiers, tiers[1:], strict=False), start=2):
        if previous.upper is None:
            raise ValidationError(
                _("Tier %(n)s: only the last tier may be open-ended (“to” empty).") % {"n": index - 1}
            )
        if current.lower < previous.upper:
            raise ValidationError(
                _("Tier %(n)s overlaps tier %(m)s or is out of order: it starts at %(start)s, before %(end)s.")
                % {"n": index, "m": index - 1, "start": _fmt(current.lower), "end": _fmt(previous.upper)}
            )
    return tiers


def normalise_tiers(raw: Any) -> list[dict[str, str | None]]:
    """Validated tiers in their canonical JSON form (decimal strings)."""
    return [tier.as_json() for tier in parse_tiers(raw)]


def tier_reduction(*, tiers: list[Tier], mode: str, measure: Decimal, fees: Decimal) -> Decimal:
    """The reduction (CNY, unrounded) for ``measure`` on the rule's basis and ``fees`` paid.

    ``marginal``: each band's rate applies to the share of the fees that falls in the band,
    share = (part of ``measure`` in the band) / ``measure``. ``whole``: the rate of the band that
    contains ``measure`` applies to all fees; a measure in a gap or below the first band earns 0.
    """
    measure = Decimal(measure)
    fees = Decimal(fees)
    if measure <= 0 or fees <= 0:
        return Decimal("0")
    if mode == TierMode.WHOLE:
        for tier in tiers:
            if tier.lower <= measure and (tier.upper is None or measure < tier.upper):
                return tier.rate * fees
        return Decimal("0")
    total = Decimal("0")
    for tier in tiers:
        top = measure if tier.upper is None else min(measure, tier.upper)
        inside = top - tier.lower
        if inside > 0:
            total += tier.rate * fees * inside / measure
    return total
