"""Who-is-who predicates shared by every app's ``permissions.py``.

Object-level rules (ownership, state) live in each app's own permissions module; these only
answer what kind of user this is. They read attributes already loaded on the user and never
query the database.
"""

from __future__ import annotations

import rules

from huifu.directory.models import DepartmentKind

from .models import OrgRole, UserKind


@rules.predicate
def is_staff_user(user) -> bool:  # noqa: ANN001
    return bool(user.is_authenticated and user.is_active and user.kind == UserKind.STAFF)


@rules.predicate
def is_coordinator(user) -> bool:  # noqa: ANN001
    return bool(
        is_staff_user(user) and user.department is not None and user.department.kind == DepartmentKind.COORDINATOR
    )


@rules.predicate
def is_department_head(user) -> bool:  # noqa: ANN001
    return bool(is_staff_user(user) and user.is_department_head)


@rules.predicate
def is_finance(user) -> bool:  # noqa: ANN001
    return bool(is_staff_user(user) and user.department is not None and user.department.kind == DepartmentKind.FINANCE)


@rules.predicate
def is_member_user(user) -> bool:  # noqa: ANN001
    return bool(user.is_authenticated and user.is_active and user.kind == UserKind.MEMBER)


@rules.predicate
def is_partner_user(user) -> bool:  # noqa: ANN001
    return bool(user.is_authenticated and user.is_active and user.kind == UserKind.PARTNER)


@rules.predicate
def is_regulator(user) -> bool:  # noqa: ANN001
    return bool(user.is_authenticated and user.is_active and user.kind == UserKind.REGULATOR)


@rules.predicate
def is_public_user(user) -> bool:  # noqa: ANN001
    return bool(user.is_authenticated and user.is_active and user.kind == UserKind.PUBLIC)


@rules.predicate
def is_org_user(user) -> bool:  # noqa: ANN001
    """A member, partner or regulator user: someone who acts for an organisation."""
    return bool(user.is_authenticated and user.is_active and user.organisation_id is not None)


@rules.predicate
def is_org_admin(user) -> bool:  # noqa: ANN001
    return bool(is_org_user(user) and user.org_role == OrgRole.ADMIN)


@rules.predicate
def is_logged_in(user) -> bool:  # noqa: ANN001
    return bool(user.is_authenticated and user.is_active)
