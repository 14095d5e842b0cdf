"""Home card: incentive projects (激励项目) for a member company — participations whose results
it must report, those waiting for the exchange, and the projects open to join. Exchange staff
decide participations from the work queue card. Reads through ``participation_list`` and
``project_list``, the list pages' selectors."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_member_user
from huifu.core.home import CardContent, CardRow, capped_count, register

from .models import ParticipationStatus as P
from .models import ProjectStatus
from .selectors import participation_list, project_list


@register(
    key="incentives.participations",
    title=pgettext_lazy("home", "Incentive projects"),
    order=70,
    permission="incentives.view_participation_list",
)
def incentives_card(user: Any) -> CardContent | None:
    if not is_member_user(user):
        return None
    url = reverse("incentives:participation_list")
    mine = participation_list(user=user)
    return CardContent(
        url=url,
        rows=[
            CardRow(
                pgettext_lazy("home", "In tracking, results to report"),
                capped_count(mine.filter(status=P.TRACKING)),
                url=f"{url}?status={P.TRACKING}",
            ),
            CardRow(
                pgettext_lazy("home", "Waiting for the exchange's review"),
                capped_count(mine.filter(status__in=[P.SUBMITTED, P.ACCEPTANCE_REVIEW, P.CLOSING_REVIEW])),
                url=url,
            ),
            CardRow(
                pgettext_lazy("home", "Projects open to join"),
                capped_count(project_list(user=user, status=ProjectStatus.OPEN)),
                url=f"{reverse('incentives:project_list')}?status={ProjectStatus.OPEN}",
            ),
        ],
        empty_text=pgettext_lazy("home", "Your company takes part in no incentive project yet."),
        empty_action=(pgettext_lazy("home", "See the projects"), reverse("incentives:project_list")),
    )
