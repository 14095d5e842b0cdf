"""Who may do what with Member Voice feedback.

Members (users of a member company): submit their company's forms, see them with their
replies, meetings and collective answers addressed to them, answer clarification questions,
rate replies. Never another company's anything (selectors scope by organisation; "not yours"
answers 404).

Staff: every staff member may read forms and items, the reports and the topics. Member
Management (the coordinator department) assigns, pauses, composes/approves/sends replies,
manages topics and publishes collective answers. A department's staff (and an item's owner)
draft the department's answer to items assigned to it.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_member_user, is_staff_user


@rules.predicate
def is_member_of_organisation(user, organisation) -> bool:  # noqa: ANN001
    return organisation is not None and user.organisation_id == getattr(organisation, "pk", None)


@rules.predicate
def is_form_company_user(user, form) -> bool:  # noqa: ANN001
    return form is not None and user.organisation_id is not None and user.organisation_id == form.organisation_id


@rules.predicate
def is_reply_company_user(user, reply) -> bool:  # noqa: ANN001
    return reply is not None and user.organisation_id is not None and user.organisation_id == reply.form.organisation_id


@rules.predicate
def works_on_item(user, item) -> bool:  # noqa: ANN001
    if item is None:
        return False
    if item.owner_id == user.pk:
        return True
    return user.department_id is not None and any(d.pk == user.department_id for d in item.departments.all())


can_read = is_staff_user | is_member_user

rules.add_perm("servicedesk.view_feedback_list", can_read)
rules.add_perm("servicedesk.submit_feedback", (is_member_user & is_member_of_organisation) | is_staff_user)
rules.add_perm("servicedesk.view_staff_pages", is_staff_user)
rules.add_perm("servicedesk.manage_feedback", is_coordinator)
rules.add_perm("servicedesk.assign_item", is_coordinator)
rules.add_perm("servicedesk.answer_item", is_staff_user & (is_coordinator | works_on_item))
rules.add_perm("servicedesk.compose_reply", is_coordinator)
rules.add_perm("servicedesk.approve_reply", is_coordinator)
rules.add_perm("servicedesk.manage_topics", is_coordinator)
rules.add_perm("servicedesk.publish_collective", is_coordinator)
rules.add_perm("servicedesk.view_reports", is_staff_user)
rules.add_perm("servicedesk.rate_reply", is_member_user & is_reply_company_user)
rules.add_perm("servicedesk.answer_clarification", (is_member_user & is_form_company_user) | is_coordinator)
