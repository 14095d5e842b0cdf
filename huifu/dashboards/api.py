"""The dashboards as JSON: the same panels, definitions and "as of" time as the pages, for the
scope the caller's own role gives (``selectors.scope_for``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .definitions import definitions_for
from .figures import dashboard
from .forms import YearForm
from .selectors import PERMS, scope_for


class PanelSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    definitions = serializers.DictField(child=serializers.CharField())
    summary_as_of = serializers.DateTimeField(allow_null=True)
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField()))
    total = serializers.ListField(child=serializers.JSONField(), allow_null=True)


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    scope = serializers.CharField()
    as_of = serializers.DateTimeField()
    panels = PanelSerializer(many=True)


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


class DashboardView(APIView):
    @extend_schema(
        responses=DashboardSerializer,
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, description="Calendar year (default: this year)"),
            OpenApiParameter(
                "view", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(PERMS), description="Which dashboard"
            ),
        ],
    )
    def get(self, request: Request, view: str) -> Response:
        """One dashboard of the year: management, department, company (the caller's own) or region."""
        if view not in PERMS:
            raise NotFound
        form = YearForm(request.query_params)
        if not form.is_valid():
            raise DRFValidationError({"year": form.errors["year"]})
        year = form.cleaned_data.get("year") or timezone.localdate().year
        scope = scope_for(request.user, view)
        data = dashboard(year=year, scope=scope, user=request.user)
        definitions = definitions_for(year)
        return Response(
            DashboardSerializer(
                {
                    "year": data.year,
                    "scope": view,
                    "as_of": data.as_of,
                    "panels": [
                        {
                            "key": p.key,
                            "title": str(p.title),
                            "definitions": {k: definitions[k].text for k in p.definitions},
                            "summary_as_of": p.as_of,
                            "columns": [str(c) for c in p.table.columns],
                            "rows": [[_cell(v) for v in row] for row in p.table.rows],
                            "total": [_cell(v) for v in p.table.total] if p.table.total else None,
                        }
                        for p in data.panels
                    ],
                }
            ).data
        )
