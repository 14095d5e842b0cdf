"""Who may do what with intake.

* The mail triage queue and the messages (``intake.view_intake``) are for exchange staff.
  Resolving or ignoring a message (``intake.resolve_intake``) and reading a form uploaded by
  staff into a draft (``intake.review_docx``) are for Member Management and the Market Service
  Center, who own the MSC mailbox.
* Member users download the Word form (blank or pre-filled with their company) and upload a
  filled one for their own company (``intake.download_form``, ``intake.upload_docx``).
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_member_user, is_staff_user
from huifu.directory.models import DepartmentKind


@rules.predicate
def is_msc(user) -> bool:  # noqa: ANN001
    return bool(
        is_staff_user(user)
        and user.department is not None
        and user.department.kind == DepartmentKind.MARKET_SERVICE_CENTER
    )


mailbox_owner = is_coordinator | is_msc

rules.add_perm("intake.view_intake", is_staff_user)
rules.add_perm("intake.resolve_intake", mailbox_owner)
rules.add_perm("intake.review_docx", mailbox_owner)
rules.add_perm("intake.download_form", is_member_user | is_staff_user)
rules.add_perm("intake.upload_docx", is_member_user)
