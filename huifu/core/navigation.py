"""The main menu. Each app adds its entries here with the predicate that decides who sees them;
the pages themselves check the same predicates, the menu only hides what would be refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class NavGroup:
    SERVICE = _("Service desk")
    PROGRAMMES = _("Programmes")
    INFORMATION = _("Information")
    ADMINISTRATION = _("Administration")


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None  # a `rules` permission name, None for every logged-in user
    group: str | Promise | None = None  # None: a top-level entry


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Notices"), "notices:list", "notices.view_notice_list"),
    # Service desk (一站通)
    NavItem(_("Work queue"), "tracking:queue", "tracking.view_queue", NavGroup.SERVICE),
    NavItem(
        _("Member Voice feedback"), "servicedesk:feedback_list", "servicedesk.view_feedback_list", NavGroup.SERVICE
    ),
    NavItem(_("Visits"), "visits:list", "visits.view_visit_list", NavGroup.SERVICE),
    NavItem(_("Hotline"), "hotline:list", "hotline.view_call_list", NavGroup.SERVICE),
    NavItem(_("Mail intake"), "intake:list", "intake.view_intake", NavGroup.SERVICE),
    NavItem(_("Service reports"), "servicedesk:reports", "servicedesk.view_reports", NavGroup.SERVICE),
    # Programmes
    NavItem(_("Co-hosted activities"), "activities:list", "activities.view_activity_list", NavGroup.PROGRAMMES),
    NavItem(_("Enterprise deep-cultivation"), "deepening:plan_list", "deepening.view_plan_list", NavGroup.PROGRAMMES),
    NavItem(_("Budget pools"), "budget:pool_list", "budget.view_pool_list", NavGroup.PROGRAMMES),
    NavItem(_("Case library"), "cases:list", "cases.view_case_list", NavGroup.PROGRAMMES),
    NavItem(_("Incentive projects"), "incentives:project_list", "incentives.view_project_list", NavGroup.PROGRAMMES),
    NavItem(
        _("Fee-reduction settlements"), "settlements:list", "settlements.view_settlement_list", NavGroup.PROGRAMMES
    ),
    NavItem(_("Trading data"), "tradingdata:overview", "tradingdata.view_trading_data", NavGroup.PROGRAMMES),
    NavItem(_("Products"), "products:list", "products.view_product_list", NavGroup.PROGRAMMES),
    # Information
    NavItem(_("Departments and liaison"), "directory:liaisons", "directory.view_liaisons", NavGroup.INFORMATION),
    NavItem(_("Working-day calendar"), "workdays:calendar", "workdays.view_calendar", NavGroup.INFORMATION),
    # Administration
    NavItem(
        _("Organisations"), "directory:organisation_list", "directory.view_organisation_list", NavGroup.ADMINISTRATION
    ),
    NavItem(_("Users"), "accounts:user_list", "accounts.view_user_list", NavGroup.ADMINISTRATION),
    NavItem(_("Outbox"), "outbox:list", "outbox.view_outbox", NavGroup.ADMINISTRATION),
    NavItem(_("Audit trail"), "audit:list", "audit.view_history", NavGroup.ADMINISTRATION),
]


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """Menu entries the user may open: top-level links and groups (a group with its links)."""
    if user is None or not user.is_authenticated:
        return []
    entries: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in NAV_ITEMS:
        if item.permission is not None and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        link = {"label": str(item.label), "url": url}
        if item.group is None:
            entries.append(link)
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = {"label": key, "children": []}
            entries.append(groups[key])
        groups[key]["children"].append(link)
    return entries
