"""Who may download a stored file.

Staff may read every file; users of the owning organisation may read its files. Anyone else
only through the rule of the record the file is attached to: the app that attaches files for a
``purpose`` registers a checker for it, e.g. in its ``AppConfig.ready``::

    from huifu.files import access
    access.register("notice_attachment", lambda user, stored_file: notice_file_readable(user, stored_file))

A purpose whose files some staff must not read either (an award application's materials, which
a judge recused from it must not open even by id) registers with ``staff_too=True``: its checker
then decides for staff as well.

Denial reads like absence (404).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huifu.accounts.predicates import is_staff_user

Checker = Callable[[Any, Any], bool]

_CHECKERS: dict[str, Checker] = {}
_STAFF_CHECKED: set[str] = set()


def register(purpose: str, checker: Checker, *, staff_too: bool = False) -> None:
    """Let ``checker(user, stored_file) -> bool`` decide for files of ``purpose`` that the user
    could not read anyway (not of the owning organisation; with ``staff_too=False`` also not
    staff). Re-registering replaces."""
    _CHECKERS[purpose] = checker
    if staff_too:
        _STAFF_CHECKED.add(purpose)
    else:
        _STAFF_CHECKED.discard(purpose)


def unregister(purpose: str) -> None:
    _CHECKERS.pop(purpose, None)
    _STAFF_CHECKED.discard(purpose)


def checker_for(purpose: str) -> Checker | None:
    return _CHECKERS.get(purpose)


def can_download(user: Any, stored_file: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_staff_user(user) and stored_file.purpose not in _STAFF_CHECKED:
        return True
    if user.organisation_id is not None and user.organisation_id == stored_file.organisation_id:
        return True
    checker = _CHECKERS.get(stored_file.purpose)
    if checker is None:
        return False
    return bool(checker(user, stored_file))
