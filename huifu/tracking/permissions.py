"""Who may see the work queue: exchange staff. Everyone sees items assigned to them or to their
department; the coordinator (Member Management) sees all (``selectors.queue_for``).

Who may (re)assign an item from the queue (``tracking.assign_item``): the coordinator any item;
other staff the items their department leads (they hand them to a colleague or to another
department). A kind whose record carries the assignment (a Member Voice item) also answers its
own rule through its ``kinds`` hook (there only the coordinator assigns)."""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_staff_user


@rules.predicate
def leads_item(user, item) -> bool:  # noqa: ANN001
    return item is not None and user.department_id is not None and item.department_id == user.department_id


rules.add_perm("tracking.view_queue", is_staff_user)
rules.add_perm("tracking.view_all", is_coordinator)
rules.add_perm("tracking.assign_item", is_staff_user & (is_coordinator | leads_item))
