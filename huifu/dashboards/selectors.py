"""The scope a user's dashboard covers (``figures.Scope``), read from who the user is — never
from the request, so a company's users cannot ask for another company's figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from .figures import Scope

KINDS = ("management", "department", "company", "region")
PERMS = {
    "management": "dashboards.view_management",
    "department": "dashboards.view_department",
    "company": "dashboards.view_member",
    "region": "dashboards.view_regulator",
}


def scope_for(user: Any, view: str) -> Scope:
    """The scope of dashboard ``view`` for ``user``; PermissionDenied if the user may not open it."""
    if view not in PERMS or not user.has_perm(PERMS[view]):
        raise PermissionDenied
    if view == "management":
        return Scope("exchange")
    if view == "department":
        return Scope("department", str(user.department_id), user.department.name_zh)
    if view == "company":
        return Scope("member", str(user.organisation_id))
    return Scope("regulator", user.organisation.region)


def views_for(user: Any) -> list[str]:
    """The dashboards ``user`` may open, in the order the index offers them."""
    return [view for view in KINDS if user.has_perm(PERMS[view])]
