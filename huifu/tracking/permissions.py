"""Who may see the work queue: exchange staff. Everyone sees items assigned to them or to their
department; the coordinator (Member Management) sees all (``selectors.queue_for``)."""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_staff_user

rules.add_perm("tracking.view_queue", is_staff_user)
rules.add_perm("tracking.view_all", is_coordinator)
