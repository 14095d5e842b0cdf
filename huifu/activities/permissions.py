"""Who may do what with co-hosted activities.

* An organisation's users (member companies, associations, universities, ... — not regulators)
  apply (``activities.apply``) and see only their own organisation's activities; they edit
  drafts and returned applications, report the event held and submit the summary
  (``activities.change_activity``, ``activities.report_activity``).
* Every staff member reads all activities (``activities.view_activity_list`` and detail).
* Reviewing (return, approve, reject; summary accept/return; close) belongs to the
  coordinator (Member Management) or a department head (``activities.review_activity``).
* Activity types and the yearly guideline: coordinator (``activities.manage_types``).
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_department_head, is_org_user, is_regulator, is_staff_user


@rules.predicate
def owns_activity(user, activity) -> bool:  # noqa: ANN001
    return (
        activity is not None and user.organisation_id is not None and activity.organisation_id == user.organisation_id
    )


is_applicant_user = is_org_user & ~is_regulator

rules.add_perm("activities.view_activity_list", is_staff_user | is_applicant_user)
rules.add_perm("activities.view_activity", is_staff_user | (is_applicant_user & owns_activity))
rules.add_perm("activities.apply", is_applicant_user)
rules.add_perm("activities.change_activity", is_applicant_user & owns_activity)
rules.add_perm("activities.report_activity", (is_applicant_user & owns_activity) | is_coordinator)
rules.add_perm("activities.review_activity", is_coordinator | is_department_head)
rules.add_perm("activities.manage_types", is_coordinator)
