"""The main menu. Each app adds its entries here with the predicate that decides who sees them;
the pages themselves check the same predicates, the menu only hides what would be refused."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import rules
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from huifu.publicsite.apps import NAV_LABEL as IDENTITY_NAV_LABEL


class NavGroup:
    SERVICE = pgettext_lazy("nav", "Service desk")
    PROGRAMMES = pgettext_lazy("nav", "Programmes")
    INFORMATION = pgettext_lazy("nav", "Information")
    ADMINISTRATION = pgettext_lazy("nav", "Administration")


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None  # a `rules` permission name, None for every logged-in user
    group: str | Promise | None = None  # None: a top-level entry


NAV_ITEMS: list[NavItem] = [
    NavItem(pgettext_lazy("nav", "Home"), "core:home", None),
    NavItem(pgettext_lazy("nav", "Notices"), "notices:list", "notices.view_notice_list"),
    # Service desk (一站通)
    NavItem(pgettext_lazy("nav", "Work queue"), "tracking:queue", "tracking.view_queue", NavGroup.SERVICE),
    NavItem(
        pgettext_lazy("nav", "Member Voice feedback"),
        "servicedesk:feedback_list",
        "servicedesk.view_feedback_list",
        NavGroup.SERVICE,
    ),
    NavItem(pgettext_lazy("nav", "Visits"), "visits:list", "visits.view_visit_list", NavGroup.SERVICE),
    NavItem(pgettext_lazy("nav", "Hotline"), "hotline:list", "hotline.view_call_list", NavGroup.SERVICE),
    NavItem(pgettext_lazy("nav", "Mail intake"), "intake:list", "intake.view_intake", NavGroup.SERVICE),
    NavItem(
        pgettext_lazy("nav", "Service reports"), "servicedesk:reports", "servicedesk.view_reports", NavGroup.SERVICE
    ),
    # Programmes
    NavItem(
        pgettext_lazy("nav", "Co-hosted activities"),
        "activities:list",
        "activities.view_activity_list",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Enterprise deep-cultivation"),
        "deepening:plan_list",
        "deepening.view_plan_list",
        NavGroup.PROGRAMMES,
    ),
    NavItem(pgettext_lazy("nav", "Budget pools"), "budget:pool_list", "budget.view_pool_list", NavGroup.PROGRAMMES),
    NavItem(pgettext_lazy("nav", "Case library"), "cases:list", "cases.view_case_list", NavGroup.PROGRAMMES),
    NavItem(
        pgettext_lazy("nav", "Incentive projects"),
        "incentives:project_list",
        "incentives.view_project_list",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Incentive dashboard"),
        "incentives:dashboard",
        "incentives.view_dashboard",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Fee-reduction settlements"),
        "settlements:list",
        "settlements.view_settlement_list",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Trading data"),
        "tradingdata:overview",
        "tradingdata.view_trading_data",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Investor education"),
        "events:session_list",
        "events.view_session_list",
        NavGroup.PROGRAMMES,
    ),
    NavItem(pgettext_lazy("nav", "Speaker pool"), "events:speaker_list", "events.view_speakers", NavGroup.PROGRAMMES),
    NavItem(pgettext_lazy("nav", "Educational works"), "eduworks:list", "eduworks.view_work_list", NavGroup.PROGRAMMES),
    # The yearly awards (系列评优): the member rating and overseas broker award on the evaluation
    # engine (huifu/awards), the analyst selection with its judging (huifu/selections).
    NavItem(pgettext_lazy("awards", "Awards"), "awards:index", "awards.view_awards", NavGroup.PROGRAMMES),
    NavItem(
        pgettext_lazy("selection", "Excellent analyst selection"),
        "selections:index",
        "selections.view_selection_list",
        NavGroup.PROGRAMMES,
    ),
    # The year at a glance across every programme, for the user's own scope (huifu/dashboards).
    NavItem(pgettext_lazy("nav", "Year dashboards"), "dashboards:index", "dashboards.view_any", NavGroup.PROGRAMMES),
    NavItem(
        pgettext_lazy("nav", "Investor-education base"),
        "eduworks:dashboard",
        "eduworks.view_dashboard",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Investor education statistics"),
        "events:statistics",
        "events.view_statistics",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "University cooperation"),
        "universities:mou_list",
        "universities.view",
        NavGroup.PROGRAMMES,
    ),
    NavItem(
        pgettext_lazy("nav", "Our interns"),
        "universities:internship_list",
        "universities.view_own_interns",
        NavGroup.PROGRAMMES,
    ),
    NavItem(pgettext_lazy("nav", "Products"), "products:list", "products.view_product_list", NavGroup.PROGRAMMES),
    # Information
    NavItem(pgettext_lazy("nav", "Investor education sessions"), "events:public_list", None, NavGroup.INFORMATION),
    NavItem(pgettext_lazy("nav", "Investor-education works"), "eduworks_public:list", None, NavGroup.INFORMATION),
    NavItem(pgettext_lazy("nav", "Public figures"), "dashboards:public", None, NavGroup.INFORMATION),
    NavItem(pgettext_lazy("nav", "My registrations"), "events:my_registrations", None, NavGroup.INFORMATION),
    NavItem(
        pgettext_lazy("nav", "Speaking invitations"),
        "events:my_speaker_invitations",
        "events.view_my_speaker_invitations",
        NavGroup.INFORMATION,
    ),
    NavItem(pgettext_lazy("nav", "Credit hours"), "credits:home", "credits.view_menu", NavGroup.INFORMATION),
    NavItem(
        pgettext_lazy("nav", "Certificates"),
        "certificates:list",
        "certificates.view_certificate_list",
        NavGroup.INFORMATION,
    ),
    NavItem(
        pgettext_lazy("nav", "Our investor education participation"),
        "events:participation",
        "events.view_participation",
        NavGroup.INFORMATION,
    ),
    NavItem(
        pgettext_lazy("nav", "Speaking invitations"),
        "events:my_speaker_invitations",
        "events.view_my_speaker_invitations",
        NavGroup.INFORMATION,
    ),
    NavItem(
        pgettext_lazy("nav", "Departments and liaison"),
        "directory:liaisons",
        "directory.view_liaisons",
        NavGroup.INFORMATION,
    ),
    NavItem(
        pgettext_lazy("nav", "Working-day calendar"),
        "workdays:calendar",
        "workdays.view_calendar",
        NavGroup.INFORMATION,
    ),
    NavItem(
        pgettext_lazy("yearplan", "Yearly arrangements"), "yearplan:list", "yearplan.view_plan", NavGroup.INFORMATION
    ),
    # Administration
    NavItem(
        pgettext_lazy("nav", "Organisations"),
        "directory:organisation_list",
        "directory.view_organisation_list",
        NavGroup.ADMINISTRATION,
    ),
    NavItem(pgettext_lazy("nav", "Users"), "accounts:user_list", "accounts.view_user_list", NavGroup.ADMINISTRATION),
    NavItem(pgettext_lazy("nav", "Outbox"), "outbox:list", "outbox.view_outbox", NavGroup.ADMINISTRATION),
    NavItem(IDENTITY_NAV_LABEL, "core:identity", "publicsite.change_identity", NavGroup.ADMINISTRATION),
    NavItem(pgettext_lazy("nav", "Audit trail"), "audit:list", "audit.view_history", NavGroup.ADMINISTRATION),
]


def _may_open(user: Any, permission: str) -> bool:
    """``user.has_perm(permission)`` for a menu permission, without Django's model-permission
    backend: every menu permission is a ``rules`` permission that names no model permission
    (``huifu/core/tests/test_navigation.py``), so that backend could only say no, after two
    queries on every page whose menu holds an entry the user may not open (issue #9)."""
    return (user.is_active and user.is_superuser) or rules.has_perm(permission, user)


@lru_cache(maxsize=512)
def _url(url_name: str, script_prefix: str, urlconf: Any) -> str | None:
    """A menu entry's address, reversed once per process (and URL configuration)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def navigation_for(user: Any) -> list[dict[str, Any]]:
    """Menu entries the user may open: top-level links and groups (a group with its links)."""
    if user is None or not user.is_authenticated:
        return []
    entries: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    for item in NAV_ITEMS:
        if item.permission is not None and not _may_open(user, item.permission):
            continue
        url = _url(item.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
        if url is None:
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
