"""Who may do what with settlements (four eyes: run, review and approve by three people).

* Run (create, compute, re-compute a draft): coordinator (Member Management) or staff of a
  business department (``settlements.run_settlement``).
* Review: coordinator or Finance staff, **not** the person who created the run
  (``settlements.review_settlement``, object-level).
* Approve: a department head or Finance staff, **not** the creator and **not** the reviewer
  (``settlements.approve_settlement``). Approval is final and publishes the statements.
* Staff see every run and statement (``settlements.view_run``). Members see only their own
  organisation's statements of *approved* runs (``settlements.view_statement``); other
  organisations' statements answer 404. Partners, regulators and the public see nothing.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import (
    is_coordinator,
    is_department_head,
    is_finance,
    is_member_user,
    is_staff_user,
)
from huifu.tradingdata.permissions import is_business_staff

from .models import SettlementStatus


@rules.predicate
def not_creator(user, run) -> bool:  # noqa: ANN001
    """Neither the person who created the run nor whoever last computed its figures."""
    return run is None or user.pk not in (run.created_by_id, run.computed_by_id)


@rules.predicate
def not_reviewer(user, run) -> bool:  # noqa: ANN001
    return run is None or run.reviewed_by_id != user.pk


@rules.predicate
def owns_published_statement(user, statement) -> bool:  # noqa: ANN001
    return (
        statement is not None
        and user.organisation_id is not None
        and statement.organisation_id == user.organisation_id
        and statement.run.status == SettlementStatus.APPROVED
    )


rules.add_perm("settlements.view_settlement_list", is_staff_user | is_member_user)
rules.add_perm("settlements.view_run", is_staff_user)
rules.add_perm("settlements.run_settlement", is_coordinator | is_business_staff)
rules.add_perm("settlements.review_settlement", (is_coordinator | is_finance) & not_creator)
rules.add_perm("settlements.approve_settlement", (is_department_head | is_finance) & not_creator & not_reviewer)
rules.add_perm("settlements.view_statement", is_staff_user | (is_member_user & owns_published_statement))
