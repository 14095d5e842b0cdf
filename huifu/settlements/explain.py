"""Human-readable explanation of a settlement line: one translated sentence per stored step.

Money is written with thousands separators and two decimals (``yuan``); an intermediate figure
that is not a final amount keeps up to four decimals and is marked “≈” when it was cut for
reading (the stored step keeps the exact value). The rounding rule is stated once, in
huifu/incentives/README.md (“Rounding”), and every rounding step shows its inputs, so a reader
with a calculator reproduces each figure.

A member reading its own statement never learns anything about other members: unless the project
publishes the scaling ratio (``Project.cap_ratio_public``), the project-cap steps show the
member's own amounts only, not the cap left, the project total or the ratio.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huifu.budget.money import yuan

BASIS_LABELS = {
    "volume": gettext_noop("Trading volume (lots)"),
    "turnover": gettext_noop("Turnover (CNY)"),
    "fees": gettext_noop("Fees (CNY)"),
    "avg_open_interest": gettext_noop("Daily average open interest (lots)"),
}
MAX_LISTED_DAYS = 12


def _dec(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _num(value: Any) -> str:
    """An intermediate figure for reading: exact up to 4 decimals, else cut to 4 and marked "≈".
    Thousands are separated. The stored step keeps the exact value."""
    number = _dec(value)
    if number is None:
        return str(value)
    if number.as_tuple().exponent < -4:
        return "≈" + f"{number.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):,}"
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    return f"{number.normalize():,f}"


def money(value: Any) -> str:
    """A final amount in CNY: 1,234,567.80."""
    number = _dec(value)
    return str(value) if number is None else yuan(number)


def ratio(target: Any, total: Any) -> str:
    """target ÷ total to ten decimals (cut, marked ≈ when not exact)."""
    t, n = _dec(target), _dec(total)
    if t is None or not n:
        return "—"
    exact = t / n
    cut = exact.quantize(Decimal("0.0000000001"), rounding=ROUND_DOWN)
    return ("" if cut == exact else "≈") + format(cut, "f")


def _days(days: list[str]) -> str:
    shown = "、".join(days[:MAX_LISTED_DAYS])
    return shown + ("…" if len(days) > MAX_LISTED_DAYS else "")


def _scope(scope: str | None) -> str:
    return _("for the whole project") if scope == "project" else _("per settlement")


def _band(step: dict[str, Any]) -> str:
    if step.get("to") is None:
        return _("%(lower)s and above") % {"lower": _num(step["from"])}
    return _("%(lower)s to %(upper)s") % {"lower": _num(step["from"]), "upper": _num(step["to"])}


def _cap_left(step: dict[str, Any]) -> str:
    """“cap X (scope); earlier settlements paid Y; Z left” — Y and Z only when something was paid."""
    text = _("%(cap)s CNY %(scope)s") % {"cap": money(step["cap"]), "scope": _scope(step.get("scope"))}
    used = _dec(step.get("used_before") or "0")
    if used:
        text += _("; earlier approved settlements paid %(used)s CNY, %(left)s CNY left") % {
            "used": money(used),
            "left": money(step["left"]),
        }
    if step.get("factor"):
        text += _("; pro-rated × %(factor)s") % {"factor": _num(step["factor"])}
    return text


def _scaling(step: dict[str, Any]) -> str:
    """amount × target ÷ total = exact, rounded down, + remainder fen = result."""
    exact = _dec(step["exact"]) or Decimal(0)
    floor = exact.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    text = _("%(before)s × %(target)s ÷ %(total)s = %(exact)s, rounded down to the fen %(floor)s") % {
        "before": money(step["before"]),
        "target": money(step["target"]),
        "total": money(step["total"]),
        "exact": _num(exact),
        "floor": money(floor),
    }
    if step.get("remainder_fen"):
        text += _(" + %(n)s fen left over from rounding (given to the largest amount)") % {"n": step["remainder_fen"]}
    return text + _(" = %(amount)s CNY.") % {"amount": money(step["amount"])}


def describe(step: dict[str, Any], *, private: bool = False) -> str:
    """One sentence for ``step``. ``private``: the reader is a member and the project does not
    publish the cap ratio, so nothing about the project total or other members is shown."""
    kind = step.get("step")
    if kind == "window":
        text = _("Counted from %(start)s to %(end)s: %(days)s trading days.") % {
            "start": step["start"],
            "end": step["end"],
            "days": step["trading_days"],
        }
        if step.get("joined_on"):
            text += " " + _("The window starts on %(date)s, the day the member joined the project.") % {
                "date": step["joined_on"]
            }
        if step.get("left_on"):
            text += " " + _("The window ends on %(date)s, the end of the member's participation.") % {
                "date": step["left_on"]
            }
        if step.get("closures"):
            text += " " + _("Exchange closures, not counted: %(days)s.") % {"days": _days(step["closures"])}
        if step.get("makeup_days"):
            text += " " + _("Make-up working days (the exchange does not trade), not counted: %(days)s.") % {
                "days": _days(step["makeup_days"])
            }
        if step.get("missing_days"):
            text += " " + _(
                "No data for %(n)s trading days (%(days)s): treated as missing data and left out of the daily average."
            ) % {"n": len(step["missing_days"]), "days": _days(step["missing_days"])}
        return text
    if kind == "figures":
        fee = (
            (_("%(fee)s CNY per lot") % {"fee": _num(step["fee_per_lot"])})
            if step["fee_basis"] == "per_lot"
            else (_("%(rate)s of turnover") % {"rate": step["fee_rate"]})
        )
        return _(
            "Volume %(volume)s lots, turnover %(turnover)s CNY, fees %(fees)s CNY (%(fee)s), "
            "daily average open interest %(oi)s lots."
        ) % {
            "volume": _num(step["volume"]),
            "turnover": money(step["turnover"]),
            "fees": _num(step["fees"]),
            "fee": fee,
            "oi": _num(step["avg_open_interest"]),
        }
    if kind == "prorate":
        return _(
            "The member took part in %(factor)s of the period's trading days: tier bounds, the minimum volume "
            "and the product cap are pro-rated by this share."
        ) % {"factor": _num(step["factor"])}
    if kind == "qualify":
        what = _("minimum volume") if step["reason"] == "min_volume" else _("minimum daily average open interest")
        return _("Not qualified: %(what)s %(required)s required, %(actual)s reached; the line earns nothing.") % {
            "what": what,
            "required": _num(step["required"]),
            "actual": _num(step["actual"]),
        }
    if kind == "measure":
        mode = _("marginal tiers") if step["mode"] == "marginal" else _("whole-amount tiers")
        return _("Basis: %(basis)s = %(value)s, %(mode)s.") % {
            "basis": _(BASIS_LABELS.get(step["basis"], step["basis"])),
            "value": _num(step["value"]),
            "mode": mode,
        }
    if kind == "tier" and "band" in step:
        return _(
            "Band %(n)s (%(band)s): %(rate)s × fees %(fees)s × %(inside)s ÷ %(measure)s = %(amount)s CNY (unrounded)."
        ) % {
            "n": step["band"],
            "band": _band(step),
            "rate": step["rate"],
            "fees": _num(step["fees"]),
            "inside": _num(step["inside"]),
            "measure": _num(step["measure"]),
            "amount": _num(step["amount"]),
        }
    if kind == "tier":  # stored before version 2: every band listed
        return _("Tier %(band)s at rate %(rate)s: %(inside)s inside, %(amount)s CNY.") % {
            "band": _band(step),
            "rate": step["rate"],
            "inside": _num(step["inside"]),
            "amount": _num(step["amount"]),
        }
    if kind == "tier_whole":
        return _(
            "Falls in band %(n)s (%(band)s): rate %(rate)s × the whole fees %(fees)s = %(amount)s CNY (unrounded)."
        ) % {
            "n": step["band"],
            "band": _band(step),
            "rate": step["rate"],
            "fees": _num(step["fees"]),
            "amount": _num(step["amount"]),
        }
    if kind == "tier_none":
        return _("%(value)s reaches no band: the line earns nothing.") % {"value": _num(step["value"])}
    if kind == "payout":
        return _("Partially accepted: × payout ratio %(ratio)s = %(amount)s CNY (unrounded).") % {
            "ratio": step["ratio"],
            "amount": _num(step["amount"]),
        }
    if kind == "rule_cap":
        if "left" in step:
            return _("Capped at the product's cap per member, %(cap)s: %(amount)s CNY.") % {
                "cap": _cap_left(step),
                "amount": _num(step["amount"]),
            }
        return _("Capped at the product's cap per member: %(cap)s CNY.") % {"cap": money(step["cap"])}
    if kind == "round":
        return _("Rounded to the fen, half up (the line's only rounding): %(unrounded)s → %(amount)s CNY.") % {
            "unrounded": _num(step["unrounded"]),
            "amount": money(step["amount"]),
        }
    if kind == "member_cap":
        if "exact" in step:
            return _("Cap per member, %(cap)s; the lines are scaled proportionally: %(scaling)s") % {
                "cap": _cap_left(step),
                "scaling": _scaling(step),
            }
        if "left" in step:  # the statement summary
            return _("Cap per member, %(cap)s: all lines together %(before)s → %(amount)s CNY.") % {
                "cap": _cap_left(step),
                "before": money(step["before"]),
                "amount": money(step["amount"]),
            }
        return _("Project cap per member %(cap)s CNY: %(before)s → %(amount)s CNY (proportional).") % {
            "cap": money(step["cap"]),
            "before": money(step["before"]),
            "amount": money(step["amount"]),
        }
    if kind == "project_cap":
        if "exact" not in step and "left" not in step:  # stored before version 2
            if private:
                return _("The project's total cap was reached: your amount %(before)s → %(amount)s CNY.") % {
                    "before": money(step["before"]),
                    "amount": money(step["amount"]),
                }
            return _("Project total cap %(cap)s CNY: %(before)s → %(amount)s CNY (proportional).") % {
                "cap": money(step["cap"]),
                "before": money(step["before"]),
                "amount": money(step["amount"]),
            }
        if private:
            return _(
                "The project's total cap was reached: every member's amount is scaled by the same ratio. "
                "Yours: %(before)s → %(amount)s CNY (shares rounded down to the fen, fen left over to the "
                "largest amount)."
            ) % {"before": money(step["before"]), "amount": money(step["amount"])}
        if "exact" not in step:  # the statement summary, staff or public ratio
            return _(
                "Project cap, %(cap)s; all members together %(project_total)s CNY, so every total is scaled by "
                "%(left)s ÷ %(project_total)s = %(ratio)s: %(before)s → %(amount)s CNY."
            ) % {
                "cap": _cap_left(step),
                "left": money(step["left"]),
                "project_total": money(step["project_total"]),
                "ratio": ratio(step["left"], step["project_total"]),
                "before": money(step["before"]),
                "amount": money(step["amount"]),
            }
        head = _(
            "Project cap, %(cap)s; all members together %(project_total)s CNY, so every amount is scaled by "
            "%(left)s ÷ %(project_total)s = %(ratio)s:"
        ) % {
            "cap": _cap_left(step),
            "left": money(step["left"]),
            "project_total": money(step["project_total"]),
            "ratio": ratio(step["left"], step["project_total"]),
        }
        return head + " " + _scaling(step)
    if kind == "award":
        return _("Fixed award for the result accepted on %(date)s: %(amount)s CNY.") % {
            "date": step["accepted_on"],
            "amount": money(step["amount"]),
        }
    return str(step)


def describe_all(steps: list[dict[str, Any]], *, private: bool = False) -> list[str]:
    return [describe(step, private=private) for step in steps]


def is_private(user: Any, run: Any) -> bool:
    """Whether ``user`` reads ``run``'s statements as a member that may not see the cap ratio."""
    if user.has_perm("settlements.view_run"):
        return False
    return not bool((run.inputs or {}).get("project", {}).get("cap_ratio_public"))
