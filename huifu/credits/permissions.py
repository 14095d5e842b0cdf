"""Who may do what with credit hours.

* A practitioner (a member company's user) sees their own hours and statement, enters hours
  from other providers and applies for a deferral.
* The member company's admin sees the totals of the company's people against the rule and
  decides their claims and deferrals — never their own, never another company's.
* Exchange staff read everyone's hours; the event managers (Member Management, the Market
  Service Center) edit categories, rules and session grants, and may decide any claim or deferral.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_member_user, is_org_admin, is_staff_user
from huifu.events.permissions import is_event_manager


@rules.predicate
def same_company(user, record) -> bool:  # noqa: ANN001
    """The record (claim, deferral) belongs to the user's company."""
    return record is not None and user.organisation_id is not None and record.organisation_id == user.organisation_id


@rules.predicate
def own_record(user, record) -> bool:  # noqa: ANN001
    return record is not None and record.person_id == user.pk


@rules.predicate
def is_submitted(user, record) -> bool:  # noqa: ANN001
    return record is not None and record.state == "submitted"


is_member_admin = is_member_user & is_org_admin

rules.add_perm("credits.view_own_hours", is_member_user)
rules.add_perm("credits.view_company_hours", is_member_admin | is_staff_user)
rules.add_perm("credits.view_all_companies", is_staff_user)
rules.add_perm("credits.manage_rules", is_event_manager)
rules.add_perm("credits.grant_session_hours", is_event_manager)
rules.add_perm("credits.claim_hours", is_member_user)
rules.add_perm("credits.request_deferral", is_member_user)
rules.add_perm("credits.view_claim", own_record | (is_member_admin & same_company) | is_staff_user)
rules.add_perm(
    "credits.decide_claim",
    is_submitted & ~own_record & ((is_member_admin & same_company) | is_event_manager),
)
rules.add_perm("credits.view_deferral", own_record | (is_member_admin & same_company) | is_staff_user)
rules.add_perm(
    "credits.decide_deferral",
    is_submitted & ~own_record & ((is_member_admin & same_company) | is_event_manager),
)
rules.add_perm("credits.view_decisions", is_member_admin | is_event_manager)
rules.add_perm("credits.view_menu", is_member_user | is_staff_user)
