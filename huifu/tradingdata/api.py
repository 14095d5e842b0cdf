"""REST API for trading data (staff): /api/v1/tradingdata/ batches and trading-day questions."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination

from . import selectors
from .models import ImportBatch


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "file_format",
            "status",
            "original_name",
            "rows_read",
            "rows_imported",
            "rows_replaced",
            "error_count",
            "errors",
            "first_date",
            "last_date",
            "day_count",
            "created_at",
        ]
        read_only_fields = fields


class BatchListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=BatchSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("tradingdata.view_trading_data"):
            raise PermissionDenied
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.batches_for(request.user), request, view=self)
        return paginator.get_paginated_response(BatchSerializer(page, many=True).data)


class TradingDayView(APIView):
    """GET ?start=YYYY-MM-DD&end=YYYY-MM-DD: the trading days in the period (both included)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        responses=inline_serializer(
            "TradingDays",
            {
                "start": serializers.DateField(),
                "end": serializers.DateField(),
                "count": serializers.IntegerField(),
                "days": serializers.ListField(child=serializers.DateField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("tradingdata.view_trading_data"):
            raise PermissionDenied
        try:
            start = datetime.date.fromisoformat(request.query_params.get("start", ""))
            end = datetime.date.fromisoformat(request.query_params.get("end", ""))
        except ValueError:
            raise ValidationError({"start": ["Give start and end as YYYY-MM-DD."]}) from None
        calendar = selectors.trading_calendar()
        days = calendar.trading_days_between(start, end)
        return Response({"start": start, "end": end, "count": len(days), "days": days})
