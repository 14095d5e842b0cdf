"""Home card: the staff member's work queue (mine, my department's, and the whole queue for the
coordinator). Reads through ``tracking.selectors.queue_for``, the queue page's selector."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import is_coordinator
from huifu.core.home import CardContent, CardRow, capped_count, register

from . import selectors
from .models import TrackedStatus

# "Due soon": due within the next three calendar days (the reminder goes out one working day
# before; three days keeps a Friday's view of Monday's deadlines).
DUE_SOON = timedelta(days=3)


def _rows(user: Any, label_overdue: Any, label_soon: Any, url: str, **filters: Any) -> list[CardRow]:
    now = timezone.now()
    active = selectors.queue_for(user=user, **filters)
    overdue = active.filter(status=TrackedStatus.OPEN, due_at__lt=now)
    soon = active.filter(status=TrackedStatus.OPEN, due_at__gte=now, due_at__lt=now + DUE_SOON)
    nearest = soon.values_list("due_at", flat=True).first()
    params = {k: ("on" if v is True else v) for k, v in filters.items()}
    return [
        CardRow(
            label_overdue, capped_count(overdue), url=f"{url}?{urlencode({**params, 'status': 'overdue'})}", urgent=True
        ),
        CardRow(label_soon, capped_count(soon), url=f"{url}?{urlencode(params)}" if params else url, deadline=nearest),
    ]


@register(
    key="tracking.queue", title=pgettext_lazy("home", "My work queue"), order=10, permission="tracking.view_queue"
)
def queue_card(user: Any) -> CardContent:
    url = reverse("tracking:queue")
    rows = _rows(
        user,
        pgettext_lazy("home", "Mine overdue"),
        pgettext_lazy("home", "Mine due within 3 days"),
        url,
        mine=True,
    )
    if user.department_id is not None:
        rows += _rows(
            user,
            pgettext_lazy("home", "My department overdue"),
            pgettext_lazy("home", "My department due within 3 days"),
            url,
            department=user.department_id,
        )
    if is_coordinator(user):
        counts = selectors.queue_counts(user=user)
        rows.append(
            CardRow(
                pgettext_lazy("home", "Whole queue overdue"),
                counts["overdue"],
                url=f"{url}?status=overdue",
                urgent=True,
            )
        )
        rows.append(CardRow(pgettext_lazy("home", "Whole queue open"), counts["active"], url=url))
    return CardContent(
        url=url,
        rows=rows,
        empty_text=pgettext_lazy("home", "Nothing is waiting in your queue. New assignments appear here."),
        empty_action=(pgettext_lazy("home", "Open the work queue"), url),
    )
