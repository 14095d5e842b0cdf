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
    previous_cursor: str = ""

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, n: int) -> list[Any] | None:
    """``n`` values: [datetime, pk] for a datetime ordering, [pk] for the primary key alone."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != n or not isinstance(values[-1], int):
            return None
        if n == 1:
            return values
        return [datetime.datetime.fromisoformat(values[0]), *values[1:]]
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def _key(row: Any, name: str) -> list[Any]:
    return [row.pk] if name == "pk" else [getattr(row, name), row.pk]


def keyset_page(
    qs: QuerySet | list[QuerySet], *, by: str, cursor: str | None, size: int, backwards: bool = False
) -> KeysetPage:
    """``size`` rows of ``qs`` ordered by ``by`` (a non-null datetime field or ``pk``, "-" for
    descending) then by primary key the same way, after ``cursor`` (``backwards``: the ``size``
    rows just before it, still in ``by`` order). ``qs`` may be a list of querysets whose union is
    the list (each read up to a page and one row, then merged without duplicates): a union the
    database could only read by collecting every row first.

    ``next_cursor`` is set when rows follow the page, ``previous_cursor`` when rows precede it
    (a page reached by a cursor always has one: the cursor's row)."""
    name = by.lstrip("-")
    after = _decode(cursor, 1 if name == "pk" else 2) if cursor else None
    backwards = backwards and after is not None  # no (valid) cursor: the first page
    descending = by.startswith("-") != backwards  # the direction the index is walked
    rows: dict[Any, Any] = {}
    for part in qs if isinstance(qs, list) else [qs]:
        if after is not None:
            op = "lt" if descending else "gt"
            if name == "pk":
                part = part.filter(**{f"pk__{op}": after[0]})
            else:
                value, last_pk = after
                part = part.filter(
                    Q(**{f"{name}__{op}e": value}) & (Q(**{f"{name}__{op}": value}) | Q(**{f"pk__{op}": last_pk}))
                )
        ordering = [f"-{name}", "-pk"] if descending else [name, "pk"]
        for row in part.order_by(*dict.fromkeys(ordering))[: size + 1]:
            rows.setdefault(row.pk, row)
    ordered = sorted(rows.values(), key=lambda row: _key(row, name), reverse=descending)
    more = len(ordered) > size
    ordered = ordered[:size]
    if backwards:
        ordered.reverse()
        return KeysetPage(
            object_list=ordered,
            next_cursor=_encode(_key(ordered[-1], name)) if ordered else "",
            previous_cursor=_encode(_key(ordered[0], name)) if more else "",
            is_first=not more,
        )
    return KeysetPage(
        object_list=ordered,
        next_cursor=_encode(_key(ordered[-1], name)) if more else "",
        previous_cursor=_encode(_key(ordered[0], name)) if after is not None and ordered else "",
        is_first=after is None,
    )


def _encode_keys(values: list[Any]) -> str:
    raw = json.dumps([["d", v.isoformat()] if isinstance(v, datetime.datetime) else ["v", v] for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_keys(cursor: str, n: int) -> list[Any] | None:
    try:
        pairs = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(pairs, list) or len(pairs) != n:
            return None
        values = [datetime.datetime.fromisoformat(v) if t == "d" else v for t, v in pairs]
        if not isinstance(values[-1], int) or any(v is None or isinstance(v, (list, dict)) for v in values):
            return None
        return values
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def keyset_page_keys(
    qs: QuerySet | list[QuerySet], *, keys: tuple[str, ...], cursor: str | None, size: int
) -> KeysetPage:
    """Like ``keyset_page`` (forwards, ascending) for an ordering of several non-null columns or
    annotations, e.g. ``("status", "due_at")`` or ``("org_key", "due_at")``; the primary key is
    appended. The filter after the cursor (a, b, pk) > (va, vb, vp) is written with the leading
    ``a >= va`` so the database seeks its (a, b, id) index. Each part of a list is read up to a
    page and one row, then merged (e.g. one part per status value: an ``IN`` on the leading
    column would make PostgreSQL sort every matching row)."""
    names = [*keys, "pk"]
    after = _decode_keys(cursor, len(names)) if cursor else None
    rows: dict[Any, Any] = {}
    for part in qs if isinstance(qs, list) else [qs]:
        if after is not None:
            # (k1, …, kn) > (v1, …, vn), expanded from the last key outwards.
            condition = Q(**{f"{names[-1]}__gt": after[-1]})
            for name, value in zip(reversed(names[:-1]), reversed(after[:-1]), strict=True):
                condition = Q(**{f"{name}__gt": value}) | (Q(**{name: value}) & condition)
            part = part.filter(Q(**{f"{names[0]}__gte": after[0]}) & condition)
        for row in part.order_by(*names)[: size + 1]:
            rows.setdefault(row.pk, row)
    if isinstance(qs, list) and len(qs) > 1:
        ordered = sorted(rows.values(), key=lambda row: [getattr(row, name) for name in names])
    else:
        # One query: keep the database's order (a collation, e.g. names in pinyin order, that
        # Python's comparison of strings would not reproduce).
        ordered = list(rows.values())
    more = len(ordered) > size
    ordered = ordered[:size]
    return KeysetPage(
        object_list=ordered,
        next_cursor=_encode_keys([getattr(ordered[-1], name) for name in names]) if more else "",
        is_first=after is None,
    )
