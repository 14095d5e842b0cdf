"""The system actor: the named user that work done by the system runs as.

Demo seeding, management commands, scheduled jobs and imports call services like any user,
with ``actor=system_actor()``; audit entries then name it. It is a real ``User`` row of kind
``system`` (created by migration ``accounts.0003_system_actor``), inactive, with no usable
password and no organisation or department, so it can never log in or hold a token.
``huifu.core.permissions.require`` lets it through; ``None`` is never an actor.
"""

from __future__ import annotations

from typing import Any

from .models import User, UserKind

SYSTEM_EMAIL = "system@huifu.invalid"
SYSTEM_NAME = "会服系统 (system)"


def system_actor() -> User:
    """The system actor (created on first use if the migration's row was flushed, as in tests
    that empty the database)."""
    user = User.objects.filter(email=SYSTEM_EMAIL).first()
    if user is None:
        user, _ = User.objects.get_or_create(
            email=SYSTEM_EMAIL,
            defaults={"kind": UserKind.SYSTEM, "full_name": SYSTEM_NAME, "is_active": False, "password": "!"},
        )
    return user


def is_system_actor(actor: Any) -> bool:
    return isinstance(actor, User) and actor.pk is not None and actor.kind == UserKind.SYSTEM
