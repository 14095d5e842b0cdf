"""Who may do what with notices.

Readers
    Every logged-in user has a notice list (``notices.view_notice_list``) showing the published
    notices addressed to them (see ``selectors.notices_visible_q`` for the audience rules).
    Anonymous visitors see nothing; "public" notices mean every logged-in user, including
    self-registered public participants.

Staff
    * Any exchange staff member may open the management pages, draft a notice and see read
      status (``notices.manage_notices``, ``notices.add_notice``, ``notices.view_read_status``).
    * A draft may be edited (text, audience, attachments) by whoever drafted it, by staff of the
      issuing department and by the coordinator (Member Management) (``notices.change_notice``).
    * Publishing and withdrawing commit the exchange to a document, so they need more than
      drafting rights: coordinator staff, or the head of the notice's issuing department
      (``notices.publish_notice``, ``notices.withdraw_notice``).

The state checks (only drafts are edited, only drafts are published, ...) live in
``services.py`` and refuse illegal moves whatever the caller's rights.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_department_head, is_logged_in, is_staff_user


@rules.predicate
def is_drafter_or_same_department(user, notice) -> bool:  # noqa: ANN001
    if notice is None:
        return False
    if notice.created_by_id is not None and notice.created_by_id == user.pk:
        return True
    return notice.department_id is not None and notice.department_id == user.department_id


@rules.predicate
def heads_issuing_department(user, notice) -> bool:  # noqa: ANN001
    return notice is not None and notice.department_id is not None and notice.department_id == user.department_id


can_edit_notice = is_staff_user & (is_coordinator | is_drafter_or_same_department)
can_issue_notice = is_staff_user & (is_coordinator | (is_department_head & heads_issuing_department))

rules.add_perm("notices.view_notice_list", is_logged_in)
rules.add_perm("notices.manage_notices", is_staff_user)
rules.add_perm("notices.add_notice", is_staff_user)
rules.add_perm("notices.view_read_status", is_staff_user)
rules.add_perm("notices.change_notice", can_edit_notice)
rules.add_perm("notices.publish_notice", can_issue_notice)
rules.add_perm("notices.withdraw_notice", can_issue_notice)
