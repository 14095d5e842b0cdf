"""Who may see the outbox. Outgoing mail carries member business of every organisation, so the
list is limited to the departments that run member services: the coordinator (Member
Management) and the Market Service Center. Other staff see mail through each record's history."""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_staff_user
from huifu.directory.models import DepartmentKind


@rules.predicate
def is_msc_staff(user) -> bool:  # noqa: ANN001
    return bool(
        is_staff_user(user)
        and user.department is not None
        and user.department.kind == DepartmentKind.MARKET_SERVICE_CENTER
    )


can_operate_outbox = is_coordinator | is_msc_staff

rules.add_perm("outbox.view_outbox", can_operate_outbox)
rules.add_perm("outbox.retry_message", can_operate_outbox)
