"""Who may do what with cases.

Readers: every logged-in user has the case list (``cases.view_case_list``) with the published
cases of their audience (see ``selectors.cases_for_reader``). Anonymous visitors see nothing.
Staff: any exchange staff member writes drafts from finished activities and plans and edits
drafts (``cases.add_case``, ``cases.change_case``). Publishing and withdrawing speak for the
exchange: the coordinator (Member Management) or a department head
(``cases.publish_case``, ``cases.withdraw_case``).
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_department_head, is_logged_in, is_staff_user

can_issue = is_coordinator | is_department_head

rules.add_perm("cases.view_case_list", is_logged_in)
rules.add_perm("cases.manage_cases", is_staff_user)
rules.add_perm("cases.add_case", is_staff_user)
rules.add_perm("cases.change_case", is_staff_user)
rules.add_perm("cases.publish_case", can_issue)
rules.add_perm("cases.withdraw_case", can_issue)
