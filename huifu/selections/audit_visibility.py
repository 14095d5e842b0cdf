"""Which selection records' history a member of staff may read (registered with
``huifu.audit.restrictions``): a judge never reads the history of an application they are
recused from (nor its conflicts, materials, results or award); results and awards are the
managers'."""

from __future__ import annotations

from typing import Any

from huifu.accounts.predicates import is_staff_user
from huifu.audit import restrictions


def _applications(user: Any) -> list[int] | None:
    from .selectors import application_list

    if not is_staff_user(user):
        return None  # the audit trail is closed to them anyway
    return list(application_list(user=user).values_list("pk", flat=True))


def _via_application(model: Any) -> Any:
    def visible(user: Any) -> list[int] | None:
        ids = _applications(user)
        if ids is None:
            return None
        return list(model.objects.filter(application_id__in=ids).values_list("pk", flat=True))

    return visible


def _managed(model: Any, path: str) -> Any:
    def visible(user: Any) -> list[int] | None:
        if not is_staff_user(user):
            return None
        return list(model.objects.filter(**{f"{path}__department_id": user.department_id}).values_list("pk", flat=True))

    return visible


def register() -> None:
    from .models import Application, Award, Conflict, Material, ResultRun

    restrictions.register(Application, visible_ids=_applications)
    restrictions.register(Conflict, visible_ids=_via_application(Conflict))
    restrictions.register(Material, visible_ids=_via_application(Material))
    restrictions.register(ResultRun, visible_ids=_managed(ResultRun, "category__selection"))
    restrictions.register(Award, visible_ids=_managed(Award, "run__category__selection"))
