"""Who may do what with trading data.

* Trading data is internal to the exchange: every staff member may look at the overview, the
  import batches, closures and ranking rows (``tradingdata.view_trading_data``). Members see
  their own figures only through their settlement statements.
* Importing files (``tradingdata.import_data``): coordinator (Member Management), business
  departments (they own the products) and Finance.
* Exchange closures change every trading statistic, so only the coordinator edits them
  (``tradingdata.change_calendar``), like the working-day calendar.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_finance, is_staff_user
from huifu.directory.models import DepartmentKind


@rules.predicate
def is_business_staff(user) -> bool:  # noqa: ANN001
    return bool(is_staff_user(user) and user.department is not None and user.department.kind == DepartmentKind.BUSINESS)


rules.add_perm("tradingdata.view_trading_data", is_staff_user)
rules.add_perm("tradingdata.import_data", is_coordinator | is_business_staff | is_finance)
rules.add_perm("tradingdata.change_calendar", is_coordinator)
