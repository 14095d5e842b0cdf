"""Show the running total against a cap while an amount is typed (issue 10, point 9).

Budget caps were only checked on submission: Finance typed an invoice or a payment, sent it and
learned then that it went over the approved amount. ``show_running_total`` declares on an amount
field what is used already and the cap; ``huifu.js`` (``input[data-cap]``) writes under the field,
as the user types, "already X + this Y = Z of the cap W" and, when over, by how much. The
service still decides on submission (the cap may have moved meanwhile); this is a preview.
No inline script (CSP): the sentences come translated from the server in data- attributes.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _


def show_running_total(field: forms.Field, *, used: Decimal, cap: Decimal, used_label: str) -> None:
    """``used_label``: what ``used`` is, e.g. "已开票" (invoiced so far)."""
    field.widget.attrs.update(
        {
            "data-cap": f"{cap:.2f}",
            "data-cap-used": f"{used:.2f}",
            # {used} {value} {total} {cap} {left} {over} are filled in by huifu.js, in yuan.
            "data-cap-text": _("%(used_label)s {used} + this {value} = {total} CNY of {cap} CNY (left: {left})")
            % {"used_label": used_label},
            "data-cap-over": _("Over the cap by {over} CNY: the amount will be refused."),
        }
    )
