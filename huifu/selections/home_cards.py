"""Home card: the analyst selection. A judge sees the applications still waiting for their scores
(recused ones never counted: read through ``judging_list``); a member company's users see their
drafts and the applications waiting for the admin's confirmation (the seal). Others: no card."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.core.home import CardContent, CardRow, capped_count, register

from .models import ApplicationState, PanelMember
from .selectors import application_list, judging_list


@register(
    key="selections.selection",
    title=pgettext_lazy("home", "Excellent analyst selection"),
    order=80,
    permission="selections.view_selection_list",
)
def selection_card(user: Any) -> CardContent | None:
    rows = []
    if PanelMember.objects.filter(user_id=user.pk).exists():
        waiting = judging_list(user=user).exclude(scores__judge__user_id=user.pk)
        rows.append(
            CardRow(
                pgettext_lazy("home", "Applications waiting for my scores"),
                capped_count(waiting),
                url=reverse("selections:judging"),
                urgent=True,
            )
        )
    if user.organisation_id:
        mine = application_list(user=user).filter(organisation_id=user.organisation_id)
        rows.append(
            CardRow(
                pgettext_lazy("home", "Applications awaiting the company's confirmation"),
                capped_count(mine.filter(state=ApplicationState.SUBMITTED)),
                url=reverse("selections:index"),
                urgent=True,
            )
        )
        rows.append(
            CardRow(
                pgettext_lazy("home", "Application drafts"),
                capped_count(mine.filter(state=ApplicationState.DRAFT)),
                url=reverse("selections:index"),
            )
        )
    if not rows:
        return None
    return CardContent(
        url=reverse("selections:index"),
        rows=rows,
        empty_text=pgettext_lazy("home", "Nothing in the analyst selection waits for you."),
        empty_action=(pgettext_lazy("home", "The analyst selection"), reverse("selections:index")),
    )
