"""Who may read the audit trail: exchange staff, for any record. Nobody may change it."""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_staff_user

rules.add_perm("audit.view_history", is_staff_user)
