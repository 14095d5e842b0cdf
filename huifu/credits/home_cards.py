"""Home card: credit hours (学时). A practitioner sees the hours still missing in the current
window and its end; a member admin how many of the company's people are short and the claims and
deferrals to decide; event managers the claims and deferrals to decide. Reads through the same
selectors and ``standings_for`` as the pages (constant queries)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.core.display import number
from huifu.core.home import CardContent, CardRow, capped_count, register

from . import hours, selectors
from .models import ClaimState

MAX_PEOPLE = 500  # a company's card reads at most this many people (the list pages all)


@register(key="credits.hours", title=pgettext_lazy("home", "Credit hours"), order=65)
def credits_card(user: Any) -> CardContent | None:
    rows: list[CardRow] = []
    url = reverse("credits:home")
    if user.has_perm("credits.view_own_hours"):
        window = hours.current_window(user)
        if window is None:
            return None
        standing = hours.hours_for(user, window)
        rows.append(
            CardRow(
                pgettext_lazy("home", "My hours missing by the window's end"),
                0 if standing.met else number(standing.short),
                url=url,
                deadline=window.end,
            )
        )
    if user.has_perm("credits.view_company_hours") and not user.has_perm("credits.view_all_companies"):
        people = list(selectors.practitioners_for(user=user)[:MAX_PEOPLE])
        short = [s for s in hours.standings_for(people) if not s.met]
        rows.append(
            CardRow(
                pgettext_lazy("home", "Colleagues short of hours"),
                len(short),
                url=reverse("credits:company") + "?short=1",
                deadline=min((s.window.end for s in short), default=None),
            )
        )
    if user.has_perm("credits.view_decisions"):
        rows.append(
            CardRow(
                pgettext_lazy("home", "Hours claims to decide"),
                capped_count(selectors.claim_list(user=user, state=ClaimState.SUBMITTED).exclude(person=user)),
                url=reverse("credits:decisions"),
            )
        )
        rows.append(
            CardRow(
                pgettext_lazy("home", "Deferrals to decide"),
                capped_count(selectors.deferral_list(user=user, state="submitted").exclude(person=user)),
                url=reverse("credits:decisions"),
            )
        )
    if not rows:
        return None
    # The empty text speaks of the first row's subject: one's own hours, the colleagues', or the
    # decisions (an events manager has no hours of their own to have completed).
    if user.has_perm("credits.view_own_hours"):
        empty = pgettext_lazy("home", "Nothing missing: the hours of the current window are complete.")
    elif user.has_perm("credits.view_company_hours") and not user.has_perm("credits.view_all_companies"):
        empty = pgettext_lazy("home", "Every colleague has the hours of the current window.")
    else:
        empty = pgettext_lazy("home", "No hours claim or deferral is waiting for a decision.")
    return CardContent(url=url, rows=rows, empty_text=empty)
