"""The directory's part of the global search (``huifu.search.registry``): organisations, read
through the organisation list's own selector and text filter."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import pgettext_lazy

from huifu.search.registry import Found, Hit, Provider, first_hits, list_url, register

from . import selectors


def _hit(org: Any) -> Hit:
    detail = " · ".join(x for x in (org.member_number or "", str(org.get_kind_display())) if x)
    return Hit(title=org.name_zh, url=reverse("directory:organisation_detail", args=[org.pk]), detail=detail)


def find(*, user: Any, text: str, limit: int) -> Found:
    qs = selectors.organisation_list(user=user, filters=selectors.OrganisationFilter(q=text))
    return first_hits(qs, limit=limit, hit=_hit)


register(
    Provider(
        key="organisations",
        label=pgettext_lazy("search", "Companies"),
        order=10,
        perm="directory.view_organisation_list",
        find=find,
        more_url=lambda text: list_url("directory:organisation_list", text),
    )
)
