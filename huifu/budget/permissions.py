"""Who may do what with budget pools, allocations, invoices and payments.

* Staff read every pool and allocation (``budget.view_pool_list``, ``budget.view_pool``).
* Member Management (the coordinator) and Finance manage pools: create, change the amount,
  close (``budget.manage_pools``), adjust or release allocations (``budget.manage_allocation``)
. The yearly Excel export (``budget.export``) is open to staff (all rows)
  and to partners (their own rows only).
* Approving money from a pool (``budget.approve_allocation``): the coordinator, a department
  head or Finance. Apps that approve a funded record check their own rule first and call
  ``allocation_approve`` with the approver as actor.
* A partner organisation (member, association, ...) reads only its own allocations, invoices and
  payments (``budget.view_allocation_list``, ``budget.view_allocation``) and registers invoices
  on them (``budget.register_invoice``); staff of the coordinator or Finance may also register one
  on the partner's behalf.
* Only Finance records payments (``budget.record_payment``).
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import (
    is_coordinator,
    is_department_head,
    is_finance,
    is_org_user,
    is_regulator,
    is_staff_user,
)


@rules.predicate
def owns_allocation(user, allocation) -> bool:  # noqa: ANN001
    return (
        allocation is not None
        and user.organisation_id is not None
        and allocation.organisation_id == user.organisation_id
    )


@rules.predicate
def allocation_active(user, allocation) -> bool:  # noqa: ANN001
    return allocation is not None and allocation.status == "active"


is_partner_org_user = is_org_user & ~is_regulator

rules.add_perm("budget.view_pool_list", is_staff_user)
rules.add_perm("budget.view_pool", is_staff_user)
rules.add_perm("budget.manage_pools", is_coordinator | is_finance)
rules.add_perm("budget.export", is_staff_user | is_partner_org_user)  # rows scoped by selector
rules.add_perm("budget.approve_allocation", is_coordinator | is_department_head | is_finance)
rules.add_perm("budget.manage_allocation", is_coordinator | is_finance)
rules.add_perm("budget.view_allocation_list", is_staff_user | is_partner_org_user)
rules.add_perm("budget.view_allocation", is_staff_user | (is_partner_org_user & owns_allocation))
rules.add_perm(
    "budget.register_invoice",
    allocation_active & ((is_partner_org_user & owns_allocation) | is_coordinator | is_finance),
)
rules.add_perm("budget.record_payment", is_finance & allocation_active)
