"""Keyset (cursor) pagination for HTML lists: page 500 costs what page 1 costs (issue #9).

A page is the first ``size`` rows after the last row of the previous page in a stable ordering
that ends with the primary key. The cursor is that row's ordering values, opaque to the user
(``?after=…``); a cursor that does not parse gives the first page, never an error. The filter is
written ``a >= v AND (a > v OR pk > p)`` so the database seeks its (a, pk) index to the cursor
instead of skipping rows as OFFSET does.
"""

from __future__ import annotations

import base64
import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet


@dataclass
class KeysetPage:
    object_list: list[Any]
    next_cursor: str = ""
    is_first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, n: int) -> list[Any] | None:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != n or not isinstance(values[-1], int):
            return None
        return [datetime.datetime.fromisoformat(values[0]), *values[1:]]
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def keyset_page(qs: QuerySet | list[QuerySet], *, by: str, cursor: str | None, size: int) -> KeysetPage:
    """``size`` rows of ``qs`` ordered by ``by`` (a non-null datetime field, "-" for descending)
    then by primary key the same way, after ``cursor``. ``qs`` may be a list of querysets whose
    union is the list (each read up to a page and one row, then merged without duplicates): a
    union the database could only read by collecting every row first."""
    descending = by.startswith("-")
    name = by.lstrip("-")
    after = _decode(cursor, 2) if cursor else None
    rows: dict[Any, Any] = {}
    for part in qs if isinstance(qs, list) else [qs]:
        if after is not None:
            value, last_pk = after
            if descending:
                part = part.filter(Q(**{f"{name}__lte": value}) & (Q(**{f"{name}__lt": value}) | Q(pk__lt=last_pk)))
            else:
                part = part.filter(Q(**{f"{name}__gte": value}) & (Q(**{f"{name}__gt": value}) | Q(pk__gt=last_pk)))
        for row in part.order_by(by, "-pk" if descending else "pk")[: size + 1]:
            rows.setdefault(row.pk, row)
    ordered = sorted(rows.values(), key=lambda row: (getattr(row, name), row.pk), reverse=descending)
    next_cursor = ""
    if len(ordered) > size:
        ordered = ordered[:size]
        next_cursor = _encode([getattr(ordered[-1], name), ordered[-1].pk])
    return KeysetPage(object_list=ordered, next_cursor=next_cursor, is_first=after is None)
