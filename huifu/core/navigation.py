"""The main menu. Each app adds its entries here with the predicate that decides who sees them;
the pages themselves check the same predicates, the menu only hides what would be refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None  # a `rules` permission name, None for every logged-in user


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Notices"), "notices:list", "notices.view_notice_list"),
    NavItem(_("Departments and liaison"), "directory:liaisons", "directory.view_liaisons"),
    NavItem(_("Organisations"), "directory:organisation_list", "directory.view_organisation_list"),
    NavItem(_("Working-day calendar"), "workdays:calendar", "workdays.view_calendar"),
    NavItem(_("Outbox"), "outbox:list", "outbox.view_outbox"),
    NavItem(_("Audit trail"), "audit:list", "audit.view_history"),
    NavItem(_("Users"), "accounts:user_list", "accounts.view_user_list"),
]


def navigation_for(user: Any) -> list[dict[str, str]]:
    if user is None or not user.is_authenticated:
        return []
    items = []
    for item in NAV_ITEMS:
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(item.label), "url": url})
    return items
