"""Who opens which dashboard (``dashboards.*``).

* ``view_management`` — the exchange's management view across every programme: the coordinator
  (Member Management) and department heads.
* ``view_department`` — a staff member's own department's work.
* ``view_member`` — a member company's users: their own company's year, nothing of anyone else.
* ``view_regulator`` — a regulator (CSRC bureau): the enterprise plans of its region.
* ``view_any`` — any of the four (the menu entry leads to the index, which picks one).
* ``edit_definitions`` — the coordinator writes the figures' definitions and the public threshold.
The public figures page needs no account.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import pgettext_lazy

from huifu.accounts.predicates import (
    is_coordinator,
    is_department_head,
    is_member_user,
    is_regulator,
    is_staff_user,
)


@rules.predicate
def has_department(user: Any) -> bool:
    return bool(is_staff_user(user) and user.department_id is not None)


@rules.predicate
def has_region(user: Any) -> bool:
    return bool(is_regulator(user) and user.organisation_id is not None and user.organisation.region)


@rules.predicate
def has_company(user: Any) -> bool:
    return bool(is_member_user(user) and user.organisation_id is not None)


rules.add_perm("dashboards.view_management", is_coordinator | is_department_head)
rules.add_perm("dashboards.view_department", has_department)
rules.add_perm("dashboards.view_member", has_company)
rules.add_perm("dashboards.view_regulator", has_region)
rules.add_perm("dashboards.edit_definitions", is_coordinator)
rules.add_perm(
    "dashboards.view_any",
    (is_coordinator | is_department_head) | has_department | has_company | has_region,
)

# The menu's entries (huifu/core/navigation.py); their Chinese is in this app's catalogue.
NAV_LABELS = (pgettext_lazy("nav", "Year dashboards"), pgettext_lazy("nav", "Public figures"))
