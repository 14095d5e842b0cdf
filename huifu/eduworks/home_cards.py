"""Home card: educational works (投教作品). Staff reviewers see the works waiting for their review
(submitted by someone else, or taken into review by them); authors of a member company or of the
exchange see their works returned for revision and their drafts. Reads through the list's selector."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import WorkState
from .selectors import review_queue, work_list

RECENT = 3


@register(
    key="eduworks.works",
    title=pgettext_lazy("home", "Educational works"),
    order=75,
    permission="eduworks.view_work_list",
)
def works_card(user: Any) -> CardContent | None:
    url = reverse("eduworks:list")
    rows = []
    entries = []
    if user.has_perm("eduworks.review_work"):
        queue = review_queue(user=user)
        rows.append(
            CardRow(
                pgettext_lazy("home", "Works waiting for my review"),
                capped_count(queue),
                url=f"{url}?waiting=my_review",
            )
        )
        entries = [
            CardEntry(title=w.title, url=w.get_absolute_url(), when=w.submitted_at, note=w.get_state_display())
            for w in queue.order_by("submitted_at", "pk")[:RECENT]
        ]
    mine = work_list(user=user).filter(created_by=user)
    rows.append(
        CardRow(
            pgettext_lazy("home", "My works returned for revision"),
            capped_count(mine.filter(state=WorkState.RETURNED)),
            url=f"{url}?state={WorkState.RETURNED}",
            urgent=True,
        )
    )
    rows.append(
        CardRow(
            pgettext_lazy("home", "My drafts not yet submitted"),
            capped_count(mine.filter(state=WorkState.DRAFT)),
            url=f"{url}?state={WorkState.DRAFT}",
        )
    )
    return CardContent(
        url=url,
        rows=rows,
        entries=entries,
        entries_title=pgettext_lazy("home", "Waiting longest"),
        empty_text=pgettext_lazy("home", "No educational work waits for you."),
        empty_action=(pgettext_lazy("home", "All educational works"), url),
    )
