"""Home card: the notices addressed to me that I have not read (members, partners, regulators,
public users; exchange staff issue notices and leave no read receipts). Reads through
``notice_list_for_reader``, the notice list's selector, read state from ``NoticeRead``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_staff_user
from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .selectors import notice_list_for_reader

RECENT = 3


@register(key="notices.unread", title=pgettext_lazy("home", "Notices"), order=30, permission="notices.view_notice_list")
def unread_notices_card(user: Any) -> CardContent | None:
    if is_staff_user(user):
        return None
    url = reverse("notices:list")
    unread = notice_list_for_reader(user=user, unread_only=True)
    latest = list(unread[:RECENT])
    return CardContent(
        url=url,
        rows=[CardRow(pgettext_lazy("home", "Unread notices"), capped_count(unread), url=f"{url}?show=unread")],
        entries=[
            CardEntry(n.title, url=reverse("notices:detail", args=[n.pk]), when=n.published_at, note=n.doc_number)
            for n in latest
        ],
        entries_title=pgettext_lazy("home", "Latest unread"),
        empty_text=pgettext_lazy("home", "You have read every notice addressed to you."),
        empty_action=(pgettext_lazy("home", "All notices"), url),
    )
