"""Home card: visits (走访/来访). The requesting company confirms the time the exchange arranged
and sees its next visits; the coordinator sees the requests to arrange. Reads through
``visits_for_user``, the visit list's selector."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_staff_user
from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import VisitStatus
from .selectors import visits_for_user

RECENT = 3


@register(key="visits.visits", title=pgettext_lazy("home", "Visits"), order=50, permission="visits.view_visit_list")
def visits_card(user: Any) -> CardContent | None:
    url = reverse("visits:list")
    visits = visits_for_user(user)
    if is_staff_user(user):
        if not user.has_perm("visits.arrange_visit"):
            return None
        return CardContent(
            url=url,
            rows=[
                CardRow(
                    pgettext_lazy("home", "Requests to arrange"),
                    capped_count(visits.filter(status=VisitStatus.REQUESTED)),
                    url=f"{url}?status={VisitStatus.REQUESTED}",
                ),
                CardRow(
                    pgettext_lazy("home", "Changes requested by the company"),
                    capped_count(visits.filter(status=VisitStatus.CHANGE_REQUESTED)),
                    url=f"{url}?status={VisitStatus.CHANGE_REQUESTED}",
                ),
            ],
            empty_text=pgettext_lazy("home", "No visit request waits for you."),
            empty_action=(pgettext_lazy("home", "All visits"), url),
        )
    arranged = visits.filter(status=VisitStatus.ARRANGED)
    upcoming = visits.filter(status__in=VisitStatus.scheduled(), starts_at__gte=timezone.now())
    next_visits = list(upcoming.order_by("starts_at", "pk")[:RECENT])
    return CardContent(
        url=url,
        rows=[
            CardRow(
                pgettext_lazy("home", "Arranged times to confirm"),
                capped_count(arranged),
                url=f"{url}?status={VisitStatus.ARRANGED}",
                deadline=arranged.order_by("starts_at").values_list("starts_at", flat=True).first(),
                urgent=True,
            ),
            CardRow(pgettext_lazy("home", "Upcoming visits"), capped_count(upcoming), url=url),
        ],
        entries=[
            CardEntry(v.place or str(v.organisation), url=reverse("visits:detail", args=[v.pk]), when=v.starts_at)
            for v in next_visits
        ],
        entries_title=pgettext_lazy("home", "Next visits"),
        empty_text=pgettext_lazy("home", "No visit is planned. You may ask the exchange for a visit."),
        empty_action=(pgettext_lazy("home", "Request a visit"), reverse("visits:create")),
    )
