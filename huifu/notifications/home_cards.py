"""Home card: my unread notifications (every logged-in user), with the latest three. Reads
through ``notifications_for``, the list page's selector: a user's own rows only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .selectors import notifications_for

RECENT = 3


@register(key="notifications.unread", title=pgettext_lazy("home", "Notification centre"), order=15)
def unread_notifications_card(user: Any) -> CardContent | None:
    if not getattr(user, "is_authenticated", False):
        return None
    url = reverse("notifications:list")
    unread = notifications_for(user=user, unread_only=True)
    return CardContent(
        url=url,
        rows=[CardRow(pgettext_lazy("home", "Unread notifications"), capped_count(unread), url=url)],
        entries=[
            CardEntry(n.text, url=reverse("notifications:open", args=[n.pk]), when=n.created_at, note=n.kind_label)
            for n in unread[:RECENT]
        ],
        entries_title=pgettext_lazy("home", "Latest unread"),
        empty_text=pgettext_lazy("home", "Nothing new. Assignments, replies and decisions appear here."),
        empty_action=(pgettext_lazy("home", "Notification settings"), reverse("notifications:preferences")),
    )
