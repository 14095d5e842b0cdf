"""Home card: co-hosted activities (合作活动). The applicant company sees what it must do next
(revise, report the summary, register the invoice) and the latest decisions; reviewers see the
applications and summaries to review. Reads through ``activity_list``, the list page's selector."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_staff_user
from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import ActivityStatus as S
from .selectors import activity_list

RECENT = 3


@register(
    key="activities.activities",
    title=pgettext_lazy("home", "Co-hosted activities"),
    order=40,
    permission="activities.view_activity_list",
)
def activities_card(user: Any) -> CardContent | None:
    url = reverse("activities:list")
    qs = activity_list(user=user)
    if is_staff_user(user):
        if not user.has_perm("activities.review_activity"):
            return None
        return CardContent(
            url=url,
            rows=[
                CardRow(
                    pgettext_lazy("home", "Applications to review"),
                    capped_count(qs.filter(status=S.SUBMITTED)),
                    url=f"{url}?status={S.SUBMITTED}",
                ),
                CardRow(
                    pgettext_lazy("home", "Summaries to review"),
                    capped_count(qs.filter(status=S.SUMMARY_SUBMITTED)),
                    url=f"{url}?status={S.SUMMARY_SUBMITTED}",
                ),
            ],
            empty_text=pgettext_lazy("home", "No application or summary waits for your review."),
            empty_action=(pgettext_lazy("home", "All activities"), url),
        )
    decided = list(qs.filter(decided_at__isnull=False).order_by("-decided_at", "-pk")[:RECENT])
    rows = [
        CardRow(
            pgettext_lazy("home", "Returned for revision"),
            capped_count(qs.filter(status__in=[S.RETURNED, S.SUMMARY_RETURNED])),
            url=f"{url}?status={S.RETURNED}",
            urgent=True,
        ),
        CardRow(
            pgettext_lazy("home", "Held, summary to submit"),
            capped_count(qs.filter(status=S.HELD)),
            url=f"{url}?status={S.HELD}",
        ),
        CardRow(
            pgettext_lazy("home", "Invoices to register"),
            capped_count(qs.filter(status=S.SUMMARY_ACCEPTED)),
            url=f"{url}?status={S.SUMMARY_ACCEPTED}",
        ),
        CardRow(
            pgettext_lazy("home", "Drafts not yet submitted"),
            capped_count(qs.filter(status=S.DRAFT)),
            url=f"{url}?status={S.DRAFT}",
        ),
    ]
    return CardContent(
        url=url,
        rows=rows,
        entries=[
            CardEntry(
                a.title,
                url=reverse("activities:detail", args=[a.pk]),
                when=a.decided_at,
                note=f"{a.activity_type.display_name} · {a.get_status_display()}",
            )
            for a in decided
        ],
        entries_title=pgettext_lazy("home", "Latest decisions"),
        empty_text=pgettext_lazy("home", "No activity waits for you. Apply to co-host an activity."),
        empty_action=(pgettext_lazy("home", "Apply for an activity"), reverse("activities:create")),
    )
