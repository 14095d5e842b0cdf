"""Who may do what with educational works (``eduworks.*``).

* Staff and users of member companies have the list (``view_work_list``) and write works
  (``add_work``). A member company's users see their company's works in every state and the
  published works of everybody; staff see every work (``selectors.work_list``).
* The owner edits and submits a draft or a returned work (``change_work``): users of the company
  that submitted it, or staff for the exchange's own works (no company).
* Compliance review (``review_work``): staff who neither wrote nor submitted the work. The
  decision belongs to the reviewer who took the work into review (``decide_work``).
* Publishing and withdrawing speak for the exchange: staff (``publish_work``, ``withdraw_work``).
* Reach figures of a published work: staff, or users of the company that submitted it (``enter_reach``).
* The base dashboard and its figures: staff (``view_dashboard``, ``enter_base_figures``).
"""

from __future__ import annotations

from typing import Any

import rules

from huifu.accounts.predicates import is_member_user, is_staff_user


@rules.predicate
def owns_work(user: Any, work: Any) -> bool:
    if work is None or not getattr(user, "is_authenticated", False):
        return False
    if work.organisation_id is None:
        return is_staff_user(user)
    return user.organisation_id is not None and user.organisation_id == work.organisation_id


@rules.predicate
def is_not_author(user: Any, work: Any) -> bool:
    """Without a work: whether the user reviews works at all (menus, the home card)."""
    return work is None or not work.is_author(user)


@rules.predicate
def is_the_reviewer(user: Any, work: Any) -> bool:
    return work is not None and work.reviewer_id is not None and work.reviewer_id == getattr(user, "pk", None)


can_read = is_staff_user | is_member_user

rules.add_perm("eduworks.view_work_list", can_read)
rules.add_perm("eduworks.add_work", can_read)
rules.add_perm("eduworks.change_work", can_read & owns_work)
rules.add_perm("eduworks.review_work", is_staff_user & is_not_author)
rules.add_perm("eduworks.decide_work", is_staff_user & is_not_author & is_the_reviewer)
rules.add_perm("eduworks.publish_work", is_staff_user)
rules.add_perm("eduworks.withdraw_work", is_staff_user)
rules.add_perm("eduworks.enter_reach", is_staff_user | (is_member_user & owns_work))
rules.add_perm("eduworks.view_dashboard", is_staff_user)
rules.add_perm("eduworks.enter_base_figures", is_staff_user)


def available_actions(user: Any, work: Any) -> dict[str, bool]:
    """What ``user`` may do with ``work`` now (state × permission): the one answer for the page,
    the API and the templates (no state comparisons there)."""
    from .models import WORK_TRANSITIONS, WorkState

    nxt = WORK_TRANSITIONS.get(work.state, frozenset())
    return {
        "edit": work.is_editable and user.has_perm("eduworks.change_work", work),
        "submit": WorkState.SUBMITTED in nxt and user.has_perm("eduworks.change_work", work),
        "start_review": WorkState.IN_REVIEW in nxt and user.has_perm("eduworks.review_work", work),
        "decide": work.state == WorkState.IN_REVIEW and user.has_perm("eduworks.decide_work", work),
        "publish": WorkState.PUBLISHED in nxt and user.has_perm("eduworks.publish_work", work),
        "withdraw": WorkState.WITHDRAWN in nxt and user.has_perm("eduworks.withdraw_work", work),
        "enter_reach": work.state in WorkState.once_published() and user.has_perm("eduworks.enter_reach", work),
        "author_waits": work.state in WorkState.waiting_review() and work.is_author(user),
    }
