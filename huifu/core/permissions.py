"""The one service-level permission check.

Every service re-checks the acting user's permission inside its transaction with
``require(actor, "<app>.<verb>_<thing>", obj)``, so the API, jobs and the shell cannot skip the
check a view made. Work done by the system passes ``huifu.accounts.system.system_actor()``,
which is let through; ``actor=None`` is a programming error and is refused.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from huifu.accounts.system import is_system_actor


def require(actor: Any, perm: str, obj: Any = None, *, message: str | None = None) -> None:
    """Return if ``actor`` holds ``perm`` (on ``obj``) or is the system actor; raise
    ``PermissionDenied`` otherwise, and for ``actor=None``."""
    if actor is None:
        raise PermissionDenied(
            f"{perm}: actor=None is not an actor; work done by the system passes huifu.accounts.system.system_actor()."
        )
    if is_system_actor(actor):
        return
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(message or _("You may not do this."))
