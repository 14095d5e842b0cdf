"""Who may see and change the working-day calendar.

every logged-in, active user   view the calendar, the calculator and the read API
                               (members see the calendar their deadlines are counted on)
coordinator (Member Management) also edit special days, publish a year, import from the package
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_logged_in

rules.add_perm("workdays.view_calendar", is_logged_in)
rules.add_perm("workdays.change_calendar", is_coordinator)
