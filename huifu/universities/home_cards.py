"""Home card: university cooperation (高校合作) — MOUs whose renewal is due and MOUs whose
obligations of this year are behind, for exchange staff (all) and a university's users (their
own). Reads through ``selectors.mou_list``, the list page's selector; a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from huifu.core.home import CardContent, CardRow, register

from . import figures, selectors


@register(
    key="universities.mous",
    title=pgettext_lazy("home", "University cooperation"),
    order=75,
    permission="universities.view",
)
def universities_card(user: Any) -> CardContent | None:
    today = timezone.localdate()
    mous = selectors.mou_list(user=user)
    url = reverse("universities:mou_list")
    renew = figures.mous_to_renew(mous, today=today)
    behind = figures.mous_behind(mous, today=today)
    if not renew and not behind and not mous.exists():
        return CardContent(
            url=url,
            rows=[],
            empty_text=pgettext_lazy("home", "No MOU with a university yet."),
        )
    return CardContent(
        url=url,
        rows=[
            CardRow(pgettext_lazy("home", "MOUs to renew"), len(renew), url=f"{url}?show=renew", urgent=bool(renew)),
            CardRow(pgettext_lazy("home", "MOUs with obligations behind"), len(behind), url=f"{url}?show=behind"),
        ],
    )
