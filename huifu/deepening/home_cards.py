"""Home card: enterprise deep-cultivation plans (企业深耕). A futures company sees the plans it
must revise or submit and those running; the coordinator the plans to review; a regulator the
running plans in its region. Reads through ``plans_for_user``, the plan list's selector."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_coordinator, is_regulator, is_staff_user
from huifu.core.home import CardContent, CardRow, capped_count, register

from .models import PlanStatus
from .selectors import plans_for_user


@register(
    key="deepening.plans",
    title=pgettext_lazy("home", "Enterprise deep-cultivation"),
    order=80,
    permission="deepening.view_plan_list",
)
def plans_card(user: Any) -> CardContent | None:
    url = reverse("deepening:plan_list")
    plans = plans_for_user(user)
    running = CardRow(
        pgettext_lazy("home", "Plans under way"), capped_count(plans.filter(status__in=PlanStatus.running())), url=url
    )
    if is_staff_user(user):
        if not is_coordinator(user):
            return None
        rows = [
            CardRow(
                pgettext_lazy("home", "Plans to review"),
                capped_count(plans.filter(status=PlanStatus.SUBMITTED)),
                url=f"{url}?status={PlanStatus.SUBMITTED}",
            ),
            running,
        ]
        empty = pgettext_lazy("home", "No plan waits for your review.")
    elif is_regulator(user):
        rows = [running]
        empty = pgettext_lazy("home", "No plan is under way in your region.")
    else:
        rows = [
            CardRow(
                pgettext_lazy("home", "Returned for revision"),
                capped_count(plans.filter(status=PlanStatus.RETURNED)),
                url=f"{url}?status={PlanStatus.RETURNED}",
                urgent=True,
            ),
            CardRow(
                pgettext_lazy("home", "Drafts not yet submitted"),
                capped_count(plans.filter(status=PlanStatus.DRAFT)),
                url=f"{url}?status={PlanStatus.DRAFT}",
            ),
            running,
        ]
        empty = pgettext_lazy("home", "Your company has no deep-cultivation plan yet.")
    return CardContent(url=url, rows=rows, empty_text=empty, empty_action=(pgettext_lazy("home", "All plans"), url))
