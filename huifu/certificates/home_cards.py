"""Home card: my certificates (holders). Reads through ``selectors.my_certificates``, the
selector of the list's own rows; shown only to someone who holds at least one."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.core.home import CardContent, CardEntry, CardRow, capped_count, register

from .models import CertificateState
from .selectors import my_certificates

RECENT = 3


@register(key="certificates.mine", title=pgettext_lazy("home", "My certificates"), order=62)
def certificates_card(user: Any) -> CardContent | None:
    latest = list(my_certificates(user=user).select_related(None)[: RECENT + 1])
    if not latest:
        return None
    url = reverse("certificates:list")
    return CardContent(
        url=url,
        rows=[
            CardRow(
                pgettext_lazy("home", "Valid certificates"),
                capped_count(my_certificates(user=user).filter(state=CertificateState.VALID)),
                url=f"{url}?state={CertificateState.VALID}",
            )
        ],
        entries=[
            CardEntry(f"{c.get_kind_display()} {c.number}", url=c.get_absolute_url(), when=c.issued_on, note=c.title)
            for c in latest[:RECENT]
        ],
        entries_title=pgettext_lazy("home", "Latest certificates"),
        empty_text=pgettext_lazy("home", "No certificates yet."),
    )
