"""Who may change the exchange's identity: Member Management (the coordinator) and superusers.
Everyone, signed in or not, reads it (pages, footer, e-mails, documents)."""

from __future__ import annotations

import rules

from huifu.accounts.predicates import is_coordinator


@rules.predicate
def is_superuser(user) -> bool:  # noqa: ANN001
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


rules.add_perm("publicsite.change_identity", is_coordinator | is_superuser)
