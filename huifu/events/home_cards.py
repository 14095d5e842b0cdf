"""Home card: investor education (投教活动) — my registrations (seats offered to accept, upcoming
sessions) and speaking invitations to answer. Reads through ``my_registrations`` and
``my_speaker_invitations``, the selectors of "My registrations" and "Speaking invitations"."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_regulator
from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import InvitationState, RegistrationState
from .selectors import my_registrations
from .selectors_speakers import my_speaker_invitations

RECENT = 3


@register(key="events.mine", title=pgettext_lazy("home", "Investor education"), order=60)
def events_card(user: Any) -> CardContent | None:
    if is_regulator(user):
        return None
    today = timezone.localdate()
    url = reverse("events:my_registrations")
    registrations = my_registrations(user=user)
    offered = registrations.filter(state=RegistrationState.OFFERED)
    upcoming_qs = registrations.filter(state__in=RegistrationState.seated(), session__date__gte=today)
    upcoming = list(upcoming_qs.order_by("session__date", "pk")[:RECENT])
    rows = [
        CardRow(
            pgettext_lazy("home", "Seats offered to accept"),
            capped_count(offered),
            url=url,
            deadline=offered.order_by("offer_expires_at").values_list("offer_expires_at", flat=True).first(),
            urgent=True,
        ),
        CardRow(pgettext_lazy("home", "Upcoming sessions I am registered for"), capped_count(upcoming_qs), url=url),
    ]
    if user.has_perm("events.view_my_speaker_invitations"):
        invitations = my_speaker_invitations(user=user).filter(state=InvitationState.PENDING)
        rows.append(
            CardRow(
                pgettext_lazy("home", "Speaking invitations to answer"),
                capped_count(invitations),
                url=reverse("events:my_speaker_invitations"),
                deadline=invitations.order_by("reply_by").values_list("reply_by", flat=True).first(),
            )
        )
    return CardContent(
        url=url,
        rows=rows,
        entries=[
            CardEntry(r.session.title, url=reverse("events:public_detail", args=[r.session_id]), when=r.session.date)
            for r in upcoming
        ],
        entries_title=pgettext_lazy("home", "Next sessions"),
        empty_text=pgettext_lazy("home", "You are not registered for any session. See what is coming up."),
        empty_action=(pgettext_lazy("home", "Investor education sessions"), reverse("events:public_list")),
    )
