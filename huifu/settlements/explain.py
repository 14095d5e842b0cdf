"""Human-readable explanation of a settlement line: one translated sentence per stored step."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

BASIS_LABELS = {
    "volume": gettext_noop("Trading volume (lots)"),
    "turnover": gettext_noop("Turnover (CNY)"),
    "fees": gettext_noop("Fees (CNY)"),
    "avg_open_interest": gettext_noop("Daily average open interest (lots)"),
}


def _num(value: Any) -> str:
    """An intermediate figure for reading: exact up to 4 decimals, else rounded with "≈".
    The stored step keeps the exact value; only the final line amount is money to the fen."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if number.is_finite() and number.as_tuple().exponent < -4:
        return "≈" + format(number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), "f")
    return str(value)


def describe(step: dict[str, Any]) -> str:
    kind = step.get("step")
    if kind == "window":
        return _("Counted from %(start)s to %(end)s: %(days)s trading days.") % {
            "start": step["start"],
            "end": step["end"],
            "days": step["trading_days"],
        }
    if kind == "figures":
        fee = (
            (_("%(fee)s CNY per lot") % {"fee": step["fee_per_lot"]})
            if step["fee_basis"] == "per_lot"
            else (_("%(rate)s of turnover") % {"rate": step["fee_rate"]})
        )
        return _(
            "Volume %(volume)s lots, turnover %(turnover)s CNY, fees %(fees)s CNY (%(fee)s), "
            "daily average open interest %(oi)s lots."
        ) % {
            "volume": step["volume"],
            "turnover": step["turnover"],
            "fees": _num(step["fees"]),
            "fee": fee,
            "oi": _num(step["avg_open_interest"]),
        }
    if kind == "qualify":
        what = _("minimum volume") if step["reason"] == "min_volume" else _("minimum daily average open interest")
        return _("Not qualified: %(what)s %(required)s required, %(actual)s reached; the line earns nothing.") % {
            "what": what,
            "required": step["required"],
            "actual": step["actual"],
        }
    if kind == "measure":
        mode = _("marginal tiers") if step["mode"] == "marginal" else _("whole-amount tiers")
        return _("Basis: %(basis)s = %(value)s, %(mode)s.") % {
            "basis": _(BASIS_LABELS.get(step["basis"], step["basis"])),
            "value": _num(step["value"]),
            "mode": mode,
        }
    if kind == "tier":
        band = (
            _("%(lower)s and above") % {"lower": step["from"]}
            if step["to"] is None
            else (_("%(lower)s to %(upper)s") % {"lower": step["from"], "upper": step["to"]})
        )
        return _("Tier %(band)s at rate %(rate)s: %(inside)s inside, %(amount)s CNY.") % {
            "band": band,
            "rate": step["rate"],
            "inside": _num(step["inside"]),
            "amount": _num(step["amount"]),
        }
    if kind == "payout":
        return _("Partially accepted: × %(ratio)s = %(amount)s CNY.") % {
            "ratio": step["ratio"],
            "amount": _num(step["amount"]),
        }
    if kind == "rule_cap":
        return _("Capped at the product's cap per member: %(cap)s CNY.") % {"cap": step["cap"]}
    if kind == "round":
        return _("Rounded to the fen (half up): %(unrounded)s → %(amount)s CNY.") % {
            "unrounded": _num(step["unrounded"]),
            "amount": _num(step["amount"]),
        }
    if kind == "member_cap":
        return _("Project cap per member %(cap)s CNY: %(before)s → %(amount)s CNY (proportional).") % {
            "cap": step["cap"],
            "before": _num(step["before"]),
            "amount": _num(step["amount"]),
        }
    if kind == "project_cap":
        return _("Project total cap %(cap)s CNY: %(before)s → %(amount)s CNY (proportional).") % {
            "cap": step["cap"],
            "before": _num(step["before"]),
            "amount": _num(step["amount"]),
        }
    if kind == "award":
        return _("Fixed award for the result accepted on %(date)s: %(amount)s CNY.") % {
            "date": step["accepted_on"],
            "amount": _num(step["amount"]),
        }
    return str(step)


def describe_all(steps: list[dict[str, Any]]) -> list[str]:
    return [describe(step) for step in steps]
