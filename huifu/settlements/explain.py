"""Human-readable explanation of a settlement line: one translated sentence per stored step."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

BASIS_LABELS = {
    "volume": N_("Trading volume (lots)"),
    "turnover": N_("Turnover (CNY)"),
    "fees": N_("Fees (CNY)"),
    "avg_open_interest": N_("Daily average open interest (lots)"),
}


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
            "fees": step["fees"],
            "fee": fee,
            "oi": step["avg_open_interest"],
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
            "value": step["value"],
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
            "inside": step["inside"],
            "amount": step["amount"],
        }
    if kind == "payout":
        return _("Partially accepted: × %(ratio)s = %(amount)s CNY.") % {
            "ratio": step["ratio"],
            "amount": step["amount"],
        }
    if kind == "rule_cap":
        return _("Capped at the product's cap per member: %(cap)s CNY.") % {"cap": step["cap"]}
    if kind == "round":
        return _("Rounded to the fen (half up): %(unrounded)s → %(amount)s CNY.") % {
            "unrounded": step["unrounded"],
            "amount": step["amount"],
        }
    if kind == "member_cap":
        return _("Project cap per member %(cap)s CNY: %(before)s → %(amount)s CNY (proportional).") % {
            "cap": step["cap"],
            "before": step["before"],
            "amount": step["amount"],
        }
    if kind == "project_cap":
        return _("Project total cap %(cap)s CNY: %(before)s → %(amount)s CNY (proportional).") % {
            "cap": step["cap"],
            "before": step["before"],
            "amount": step["amount"],
        }
    if kind == "award":
        return _("Fixed award for the result accepted on %(date)s: %(amount)s CNY.") % {
            "date": step["accepted_on"],
            "amount": step["amount"],
        }
    return str(step)


def describe_all(steps: list[dict[str, Any]]) -> list[str]:
    return [describe(step) for step in steps]
