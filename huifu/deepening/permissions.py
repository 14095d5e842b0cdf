"""Who may do what in the deep-cultivation plan.

Members (users of a futures company)
    Keep their own enterprise profiles and contact logs, draft and edit their own plans, report
    progress (any user of the company). Submitting a plan and declaring it complete commit the
    company, so they need the company's organisation admin.
Exchange staff
    Read every profile and plan. The coordinator (Member Management) reviews: returns for
    revision, approves (selecting the enterprises and the amount) or rejects, registers new
    enterprises in the directory and closes plans after costs are settled.
Regulators (users of a CSRC bureau)
    Read the non-draft plans with at least one enterprise in the bureau's region, those
    enterprises' profiles, evidence files and exports — nothing else — and write supervision
    notes on them. Supervision notes are read by staff and by the regulators of that region; the
    member does not see them (they are between the bureau and the exchange).

State checks (only drafts are edited, ...) live in ``services.py``.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_member_user, is_org_admin, is_regulator, is_staff_user
from huifu.directory.models import OrganisationKind


@rules.predicate
def is_futures_company_user(user) -> bool:  # noqa: ANN001
    return bool(
        is_member_user(user)
        and user.organisation is not None
        and user.organisation.kind == OrganisationKind.FUTURES_COMPANY
    )


@rules.predicate
def is_own_member(user, obj) -> bool:  # noqa: ANN001
    """``obj`` (a plan or a profile) belongs to the user's company."""
    return obj is not None and user.organisation_id is not None and obj.member_id == user.organisation_id


@rules.predicate
def regulates_plan(user, plan) -> bool:  # noqa: ANN001
    if plan is None or user.organisation_id is None:
        return False
    from .selectors import plans_for_regulator

    return plans_for_regulator(user).filter(pk=plan.pk).exists()


@rules.predicate
def regulates_profile(user, profile) -> bool:  # noqa: ANN001
    if profile is None or user.organisation_id is None:
        return False
    from .selectors import profiles_for_regulator

    return profiles_for_regulator(user).filter(pk=profile.pk).exists()


own_member = is_futures_company_user & is_own_member
own_member_admin = own_member & is_org_admin

rules.add_perm("deepening.view_plan_list", is_staff_user | is_futures_company_user | is_regulator)
rules.add_perm("deepening.add_plan", is_futures_company_user)
rules.add_perm("deepening.view_plan", is_staff_user | own_member | (is_regulator & regulates_plan))
rules.add_perm("deepening.change_plan", own_member)
rules.add_perm("deepening.submit_plan", own_member_admin)
rules.add_perm("deepening.review_plan", is_coordinator)
rules.add_perm("deepening.report_progress", own_member)
rules.add_perm("deepening.complete_plan", own_member_admin)
rules.add_perm("deepening.close_plan", is_coordinator)
rules.add_perm("deepening.view_supervision_notes", is_staff_user | (is_regulator & regulates_plan))
rules.add_perm("deepening.add_supervision_note", is_regulator & regulates_plan)
rules.add_perm("deepening.export_plans", is_staff_user | is_futures_company_user | is_regulator)

rules.add_perm("deepening.view_profile_list", is_staff_user | is_futures_company_user | is_regulator)
rules.add_perm("deepening.add_profile", is_futures_company_user)
rules.add_perm("deepening.view_profile", is_staff_user | own_member | (is_regulator & regulates_profile))
rules.add_perm("deepening.change_profile", own_member)
rules.add_perm("deepening.add_contact_log", own_member)
rules.add_perm("deepening.register_enterprise", is_coordinator)
