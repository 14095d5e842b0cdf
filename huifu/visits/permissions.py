"""Who may do what with visits.

Requesters
    Users of a member company or an institution (member and partner users) may ask to visit
    (``visits.add_visit_request``) and see their own organisation's requests. On an arranged
    visit they confirm or ask for a change (``visits.respond_visit``); they may cancel their
    own organisation's open request (``visits.cancel_visit``).

Staff
    Every exchange staff member sees every visit (``visits.view_visit_list``, ``visits.view_visit``)
    and may register a visit letter received by e-mail (``visits.register_letter``).
    Member Management (the coordinator department) arranges the reception, marks it held and may
    cancel it (``visits.arrange_visit``, ``visits.hold_visit``, ``visits.cancel_visit``).

Regulators and public participants have no part in visits. State checks live in ``services.py``.
"""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator, is_member_user, is_partner_user, is_staff_user


@rules.predicate
def is_requesting_organisation(user, visit) -> bool:  # noqa: ANN001
    return visit is not None and user.organisation_id is not None and visit.organisation_id == user.organisation_id


is_requester_user = is_member_user | is_partner_user

rules.add_perm("visits.view_visit_list", is_staff_user | is_requester_user)
rules.add_perm("visits.view_visit", is_staff_user | (is_requester_user & is_requesting_organisation))
rules.add_perm("visits.add_visit_request", is_requester_user)
rules.add_perm("visits.register_letter", is_staff_user)
rules.add_perm("visits.arrange_visit", is_coordinator)
rules.add_perm("visits.hold_visit", is_coordinator)
rules.add_perm("visits.respond_visit", is_requester_user & is_requesting_organisation)
rules.add_perm("visits.cancel_visit", is_coordinator | (is_requester_user & is_requesting_organisation))
