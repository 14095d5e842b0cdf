"""API list pages.

``Pagination`` (page numbers with a ``count``) serves the short lists. ``CursorPagination`` serves
the lists that grow without bound (feedback forms, items and replies, hotline calls, the audit
history): keyset pages over ``huifu.core.keyset``, so page 500 costs what page 1 costs and no
request counts every row (issue #9: the count alone took 197 ms at 10^6 items). A page answers
``next`` and ``previous`` links carrying an opaque ``cursor``; a cursor that does not parse gives
the first page, never an error.
"""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from huifu.core.keyset import KeysetPage, keyset_page


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(BasePagination):
    """Keyset pages: ``?cursor=`` from a ``next`` or ``previous`` link, ``?page_size=`` (1–200).

    The order is the view's ``cursor_ordering`` (a non-null datetime field or ``pk``, "-" for
    descending; default ``-pk``), the primary key breaking ties, so a row never shows twice or
    goes missing between pages. ``paginate_queryset`` also takes a list of querysets whose union
    is the list (``keyset_page``)."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    ordering = "-pk"

    page: KeysetPage
    request: Request

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param, "")
        return min(int(raw), self.max_page_size) if raw.isdigit() and int(raw) > 0 else self.page_size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any]:
        self.request = request
        raw = request.query_params.get(self.cursor_query_param, "")
        # "n…" pages forward from the row in the cursor, "p…" backward; anything else: the first page.
        direction, cursor = (raw[:1], raw[1:]) if raw[:1] in ("n", "p") else ("n", "")
        self.page = keyset_page(
            queryset,
            by=getattr(view, "cursor_ordering", self.ordering),
            cursor=cursor or None,
            size=self.get_page_size(request),
            backwards=direction == "p",
        )
        return self.page.object_list

    def _link(self, prefix: str, cursor: str) -> str | None:
        if not cursor:
            return None
        # From the parsed parameters, not the raw query string: a client that sent ?q=保证金
        # unencoded gets it back percent-encoded, not as mojibake.
        params = self.request.query_params.copy()
        params.pop("page", None)
        params[self.cursor_query_param] = prefix + cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + params.urlencode()

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "next": self._link("n", self.page.next_cursor),
                "previous": self._link("p", self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last page."},
                "previous": {**link, "description": "The page before; null on the first page."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page: copy it from a `next` or `previous` link (opaque).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1–{self.max_page_size} (default {self.page_size}).",
                "schema": {"type": "integer"},
            },
        ]
