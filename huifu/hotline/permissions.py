"""Who may do what with the hotline.

Calls are internal records of the exchange: only staff see them (``hotline.view_call_list``).
The Market Service Center, who answers the hotline, and Member Management log calls and change
the hotline setting (``hotline.log_call``, ``hotline.change_setting``). A follow-up is closed by
its owner, by staff of its department, or by MSC / Member Management
(``hotline.close_follow_up``). Members, partners, regulators and the public see only the
number, in the site footer.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_staff_user
from huifu.directory.models import DepartmentKind


@rules.predicate
def is_msc(user) -> bool:  # noqa: ANN001
    return bool(
        is_staff_user(user)
        and user.department is not None
        and user.department.kind == DepartmentKind.MARKET_SERVICE_CENTER
    )


@rules.predicate
def owns_follow_up(user, call) -> bool:  # noqa: ANN001
    if call is None:
        return False
    if call.follow_up_owner_id is not None and call.follow_up_owner_id == user.pk:
        return True
    return call.follow_up_department_id is not None and call.follow_up_department_id == user.department_id


can_log = is_msc | is_coordinator

rules.add_perm("hotline.view_call_list", is_staff_user)
rules.add_perm("hotline.view_call", is_staff_user)
rules.add_perm("hotline.log_call", can_log)
rules.add_perm("hotline.change_call", can_log)
rules.add_perm("hotline.change_setting", can_log)
rules.add_perm("hotline.close_follow_up", is_staff_user & (can_log | owns_follow_up))
