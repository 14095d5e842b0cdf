"""Home card: Member Voice (会员之声). A member company's users see what the exchange asks of them
(questions to answer, replies not yet opened — ``ReplyRead`` — and replies to rate) and the
latest replies; the coordinator sees the forms to open and the replies to approve. Reads through ``forms_for`` / ``replies_for``, the selectors
of the feedback list and the reply page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_coordinator, is_staff_user
from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import FormStatus
from .selectors import forms_for, replies_for

RECENT = 3


@register(
    key="servicedesk.feedback",
    title=pgettext_lazy("home", "Member Voice"),
    order=20,
    permission="servicedesk.view_feedback_list",
)
def feedback_card(user: Any) -> CardContent | None:
    url = reverse("servicedesk:feedback_list")
    forms = forms_for(user)
    if is_staff_user(user):
        if not is_coordinator(user):
            return None  # other staff work on items through the queue card
        return CardContent(
            url=url,
            rows=[
                CardRow(
                    pgettext_lazy("home", "Forms received, not yet started"),
                    capped_count(forms.filter(status=FormStatus.SUBMITTED)),
                    url=f"{url}?status={FormStatus.SUBMITTED}",
                ),
                CardRow(
                    pgettext_lazy("home", "Replies to approve"),
                    capped_count(forms.filter(status=FormStatus.REPLY_DRAFTED)),
                    url=f"{url}?status={FormStatus.REPLY_DRAFTED}",
                ),
            ],
            empty_text=pgettext_lazy("home", "No Member Voice form waits for you."),
            empty_action=(pgettext_lazy("home", "All forms"), url),
        )
    replies = replies_for(user)
    latest = list(replies[:RECENT])
    return CardContent(
        url=url,
        rows=[
            CardRow(
                pgettext_lazy("home", "Questions from the exchange to answer"),
                capped_count(forms.filter(status=FormStatus.WAITING_MEMBER)),
                url=url,
                urgent=True,
            ),
            CardRow(
                pgettext_lazy("home", "Replies to read"),
                capped_count(replies.exclude(reads__user=user)),
                url=url,
                urgent=True,
            ),
            CardRow(
                pgettext_lazy("home", "Replies to rate"),
                capped_count(replies.filter(satisfaction__isnull=True)),
                url=url,
            ),
            CardRow(
                pgettext_lazy("home", "Forms being answered"),
                capped_count(
                    forms.filter(status__in=FormStatus.open_group()).exclude(status=FormStatus.WAITING_MEMBER)
                ),
                url=url,
            ),
        ],
        entries=[
            CardEntry(
                pgettext_lazy("home", "Reply to form %(number)s")
                % {"number": f"{r.form.year}-{r.form.serial_display}"},
                url=reverse("servicedesk:form_detail", args=[r.form_id]),
                when=r.sent_at,
            )
            for r in latest
        ],
        entries_title=pgettext_lazy("home", "Latest replies to my company"),
        empty_text=pgettext_lazy("home", "Nothing waits for you. Send the exchange your questions and suggestions."),
        empty_action=(pgettext_lazy("home", "New feedback form"), reverse("servicedesk:feedback_new")),
    )
