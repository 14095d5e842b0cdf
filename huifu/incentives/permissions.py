"""Who may do what with incentive projects and participations.

Readers
    Exchange staff, member-company users (futures companies and platform traders) and
    regulators see the project list (``incentives.view_project_list``); partners and the public
    do not (403). Members and regulators see projects that are open or closed, never drafts.
Members (org admin or contact of a futures company or platform trader)
    Apply for or file an *open* project their kind of organisation may join
    (``incentives.apply_project``); see, report on, apply for closing of and withdraw their own
    organisation's participations only (``incentives.view_participation``,
    ``incentives.report_participation``). Another organisation's participation answers 404.
Universities (partner users of an organisation of kind university)
    See open and closed *research* projects only and apply for them with a topic; see, report
    on and withdraw their own university's research participations only. Members never see
    research projects or another organisation's applications (404).
Staff
    Any staff member reads every project and participation and the dashboard. Projects and
    rules are edited by the coordinator (Member Management) and staff of the project's
    responsible department (``incentives.change_project``); the same people review, accept and
    close participations (``incentives.decide_participation``).

State checks (what may happen in which state) live in ``services.py``.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_member_user, is_partner_user, is_regulator, is_staff_user
from huifu.directory.models import OrganisationKind


@rules.predicate
def in_project_department(user, obj) -> bool:  # noqa: ANN001
    if obj is None:
        return False
    project = getattr(obj, "project", obj)
    return project.department_id is not None and project.department_id == user.department_id


@rules.predicate
def owns_participation(user, participation) -> bool:  # noqa: ANN001
    return (
        participation is not None
        and user.organisation_id is not None
        and participation.organisation_id == user.organisation_id
    )


@rules.predicate
def may_join_project(user, project) -> bool:  # noqa: ANN001
    if project is None or user.organisation_id is None:
        return False
    return user.organisation.kind in project.eligible_org_kinds()


@rules.predicate
def is_university_user(user) -> bool:  # noqa: ANN001
    """A partner user acting for a university: applies for research projects."""
    return bool(
        is_partner_user(user)
        and user.organisation_id is not None
        and user.organisation.kind == OrganisationKind.UNIVERSITY
    )


is_project_staff = is_staff_user & (is_coordinator | in_project_department)
is_applicant_user = is_member_user | is_university_user

rules.add_perm("incentives.view_project_list", is_staff_user | is_member_user | is_regulator | is_university_user)
rules.add_perm("incentives.view_participation_list", is_staff_user | is_applicant_user)
rules.add_perm("incentives.view_participation", is_staff_user | (is_applicant_user & owns_participation))
rules.add_perm("incentives.report_participation", is_applicant_user & owns_participation)
rules.add_perm("incentives.apply_project", is_applicant_user & may_join_project)
rules.add_perm("incentives.add_project", is_staff_user & is_coordinator)
rules.add_perm("incentives.change_project", is_project_staff)
rules.add_perm("incentives.decide_participation", is_project_staff)
rules.add_perm("incentives.view_dashboard", is_staff_user)
