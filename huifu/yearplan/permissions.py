"""Who may do what with the yearly arrangements (``yearplan.*``).

* Staff read every year, its generated document (page, .docx, PDF) and the year-on-year
  comparison (``view_plan``): the document is prepared inside the exchange before it is sent.
* The coordinator (Member Management) edits a year's texts and programmes, starts a new year
  and freezes a year (``change_plan``, ``freeze_plan``). A frozen year changes for nobody.
* Users of member companies, partners, regulators and the public have none of these pages.
"""

from __future__ import annotations

from typing import Any

import rules

from huifu.accounts.predicates import is_coordinator, is_staff_user


@rules.predicate
def is_draft(user: Any, plan: Any) -> bool:  # noqa: ARG001
    """Without a year: whether the user may edit years at all (menus, buttons)."""
    return plan is None or not plan.is_frozen


rules.add_perm("yearplan.view_plan", is_staff_user)
rules.add_perm("yearplan.change_plan", is_coordinator & is_draft)
rules.add_perm("yearplan.add_plan", is_coordinator)
rules.add_perm("yearplan.freeze_plan", is_coordinator & is_draft)


def available_actions(user: Any, plan: Any) -> dict[str, bool]:
    return {
        "edit": user.has_perm("yearplan.change_plan", plan),
        "freeze": user.has_perm("yearplan.freeze_plan", plan),
    }
