"""Records whose history only some staff may read.

Staff read the whole audit trail, except the records an app restricts here: e.g. a judge of the
analyst selection (a member of staff) must not read the history of an application they are
recused from. An app registers, in its ``AppConfig.ready``::

    restrictions.register(Application, visible_ids=lambda user: <ids the user may read, or None for all>)

``restrict(qs, user)`` (called by ``selectors.audit_events``, so the list, the record's history
page and the ``audit_history`` include all obey it) drops the events of registered records the
user may not read. Removing a registration only widens staff's view back to everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet

VisibleIds = Callable[[Any], Iterable[Any] | None]

_RULES: dict[type[models.Model], VisibleIds] = {}


def register(model: type[models.Model], *, visible_ids: VisibleIds) -> None:
    _RULES[model] = visible_ids


def restrict(qs: QuerySet, user: Any) -> QuerySet:
    for model, visible_ids in _RULES.items():
        ids = visible_ids(user)
        if ids is None:
            continue
        ct = ContentType.objects.get_for_model(model)
        qs = qs.exclude(Q(target_type=ct) & ~Q(target_id__in=[str(i) for i in ids]))
    return qs
