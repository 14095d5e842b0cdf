"""The certificates app's part of the global search: certificates by number (and name) for
staff, read through the list's selector and its text filter."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, register

from . import selectors
from .filters import CertificateFilter


def _hit(obj: Any) -> Hit:
    return Hit(
        title=f"{obj.number} {obj.holder_name}",
        url=obj.get_absolute_url(),
        detail=f"{obj.get_kind_display()} · {obj.title} · {obj.get_state_display()}",
    )


def find(*, user: Any, text: str, limit: int) -> Found:
    qs = CertificateFilter({"q": text}, queryset=selectors.certificate_list(user=user)).qs
    return first_hits(qs, limit=limit, hit=_hit)


register(
    Provider(
        key="certificates",
        label=pgettext_lazy("search", "Certificates"),
        order=92,
        perm="certificates.search_certificates",
        find=find,
        more_url=lambda text: f"{reverse('certificates:list')}?{urlencode({'q': text})}",
    )
)
