"""Who may do what with awards.

* A programme is run by its owning department (``AwardProgramme.department``, data): that
  department's staff create schemes and editions, open evaluations, enter values and measures,
  compute, publish lists and winners, decide objections and revoke awards. Nobody else — not even
  the coordinator for the overseas broker award, and not the subsidiary's staff for the member rating.
* An objection is decided by staff of the owning department other than the scorer (the user who
  computed the result set objected to, or who entered the value): checked in the service.
* Any exchange staff member reads schemes, evaluations and results (read-only).
* An evaluated organisation's users (member company or overseas broker) read their own result
  and breakdown once a list is published (objection window and after), and object during the
  window (admins and contacts); never another organisation's figures.
* Anyone reads the published winners on ``/public/awards/`` and checks a certificate by its code.
"""

from __future__ import annotations

from typing import Any

import rules

from huifu.accounts.predicates import is_logged_in, is_org_user, is_staff_user


def programme_of(obj: Any) -> Any:
    """The programme behind a programme, scheme, edition, evaluation, result or winner."""
    for path in ("programme", "edition.programme", "evaluation.programme", "result_set.evaluation.programme"):
        current = obj
        for part in path.split("."):
            current = getattr(current, part, None)
            if current is None:
                break
        if current is not None:
            return current
    return obj if obj is not None and hasattr(obj, "department_id") and hasattr(obj, "kind") else None


@rules.predicate
def in_owning_department(user, obj) -> bool:  # noqa: ANN001
    programme = programme_of(obj)
    return programme is not None and user.department_id is not None and programme.department_id == user.department_id


@rules.predicate
def is_evaluated_organisation(user, obj) -> bool:  # noqa: ANN001
    """``obj`` is a subject result, an objection or a winner of the user's organisation."""
    return obj is not None and getattr(obj, "organisation_id", None) == user.organisation_id


manages = is_staff_user & in_owning_department

rules.add_perm("awards.view_awards", is_staff_user | is_org_user)
rules.add_perm("awards.view_programme", is_staff_user)
rules.add_perm("awards.manage_programme", manages)
rules.add_perm("awards.publish_winners", manages)
rules.add_perm("awards.decide_objection", manages)
rules.add_perm("awards.view_own_result", is_org_user & is_evaluated_organisation)
rules.add_perm("awards.submit_objection", is_org_user & is_evaluated_organisation)
rules.add_perm("awards.view_certificate", is_staff_user | (is_org_user & is_evaluated_organisation))
rules.add_perm("awards.view_public", rules.always_allow)
rules.add_perm("awards.search_awards", is_logged_in)
