"""Who may manage which accounts.

    coordinator (Member Management)   every user: list, create (any kind but public), change,
                                      deactivate and reactivate
    org admin                         the users of their own organisation only, never staff
    anyone logged in                  their own profile and personal access tokens
    org admin                         the two-factor requirement of their own organisation

A user never deactivates themself (see ``services.user_deactivate``).
"""

from __future__ import annotations

import rules

from .predicates import is_coordinator, is_logged_in, is_org_admin


@rules.predicate
def is_same_organisation(user, other) -> bool:  # noqa: ANN001
    return (
        other is not None
        and user.organisation_id is not None
        and getattr(other, "organisation_id", None) == user.organisation_id
    )


@rules.predicate
def is_self(user, other) -> bool:  # noqa: ANN001
    return other is not None and getattr(other, "pk", None) == user.pk


can_manage_users = is_coordinator | is_org_admin
can_manage_user = is_coordinator | (is_org_admin & is_same_organisation)

rules.add_perm("accounts.view_user_list", can_manage_users)
rules.add_perm("accounts.add_user", can_manage_users)
rules.add_perm("accounts.view_user", can_manage_user)
rules.add_perm("accounts.change_user", can_manage_user)
rules.add_perm("accounts.deactivate_user", can_manage_user & ~is_self)
rules.add_perm("accounts.view_profile", is_logged_in)
rules.add_perm("accounts.manage_own_tokens", is_logged_in)
rules.add_perm("accounts.manage_org_security", is_org_admin)
