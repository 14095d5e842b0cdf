"""Home card: payments Finance has to make — active allocations with more invoiced than paid.
Reads through ``allocation_list``, the allocation list's selector."""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_finance
from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import AllocationStatus
from .selectors import allocation_list

RECENT = 3


@register(
    key="budget.payments",
    title=pgettext_lazy("home", "Payments"),
    order=15,
    permission="budget.view_allocation_list",
)
def payments_card(user: Any) -> CardContent | None:
    if not is_finance(user):
        return None
    url = reverse("budget:allocation_list")
    to_pay = allocation_list(user=user).filter(status=AllocationStatus.ACTIVE, invoiced__gt=F("paid"))
    oldest = list(to_pay.order_by("approved_at", "pk")[:RECENT])
    return CardContent(
        url=url,
        rows=[CardRow(pgettext_lazy("home", "Invoiced, payment to make"), capped_count(to_pay), url=url, urgent=False)],
        entries=[
            CardEntry(
                a.title,
                url=reverse("budget:allocation_detail", args=[a.pk]),
                when=a.approved_at,
                note=f"{a.organisation} · ¥{a.invoiced - a.paid:,.2f}",
            )
            for a in oldest
        ],
        entries_title=pgettext_lazy("home", "Waiting longest"),
        empty_text=pgettext_lazy("home", "Every registered invoice is paid."),
        empty_action=(pgettext_lazy("home", "All allocations"), url),
    )
