"""Who may do what in university cooperation.

* Exchange staff see everything and manage MOUs, courses, internships, students and the
  teaching materials library (``universities.manage``).
* A university's users (partner users of an organisation of kind ``university``) see their own
  MOUs, courses, students and internships, and add their own students and enrolments
  (``universities.manage_students``).
* A member company's users see only the interns they host and evaluate them
  (``universities.evaluate_internship`` on their own internship).
The scoping itself is in ``selectors.py``; these predicates decide which pages a user has.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_member_user, is_partner_user, is_staff_user


@rules.predicate
def is_university_user(user) -> bool:  # noqa: ANN001
    return bool(is_partner_user(user) and user.organisation_id is not None and user.organisation.kind == "university")


@rules.predicate
def hosts_internship(user, internship) -> bool:  # noqa: ANN001
    return bool(internship is not None and user.organisation_id and internship.host_company_id == user.organisation_id)


can_view = is_staff_user | is_university_user
rules.add_perm("universities.view", can_view)
rules.add_perm("universities.view_internships", is_staff_user | is_university_user | is_member_user)
# The member's menu entry: the interns its company hosts.
rules.add_perm("universities.view_own_interns", is_member_user)
rules.add_perm("universities.manage", is_staff_user)
rules.add_perm("universities.manage_students", is_staff_user | is_university_user)
rules.add_perm("universities.view_materials", is_staff_user | is_university_user)
rules.add_perm("universities.evaluate_internship", is_staff_user | (is_member_user & hosts_internship))
