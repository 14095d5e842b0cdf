"""REST API for settlement statements, /api/v1/settlements/statements/: staff see all, a member
its own organisation's statements of approved runs; others' answer 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination

from . import selectors
from .explain import describe_all
from .models import SettlementLine, SettlementStatement


class LineSerializer(serializers.ModelSerializer):
    product = serializers.CharField(source="product.code", default=None)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = SettlementLine
        fields = [
            "position",
            "kind",
            "product",
            "window_start",
            "window_end",
            "trading_days",
            "volume",
            "turnover",
            "fees",
            "avg_open_interest",
            "basis",
            "measure",
            "qualified",
            "amount_before_caps",
            "amount",
            "explanation",
        ]

    def get_explanation(self, line: SettlementLine) -> list[str]:
        return describe_all(line.explanation)


class StatementSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="run.project.code")
    period_start = serializers.DateField(source="run.period_start")
    period_end = serializers.DateField(source="run.period_end")
    status = serializers.CharField(source="run.status")
    member_number = serializers.CharField(source="organisation.member_number")

    class Meta:
        model = SettlementStatement
        fields = ["id", "project", "period_start", "period_end", "status", "member_number", "total_amount"]


class StatementDetailSerializer(StatementSerializer):
    lines = LineSerializer(many=True)

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "amount_before_caps", "lines"]


class StatementListView(APIView):
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("settlements.view_settlement_list"):
            raise PermissionDenied
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.statements_for(request.user), request, view=self)
        return paginator.get_paginated_response(StatementSerializer(page, many=True).data)


class StatementDetailView(APIView):
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm("settlements.view_settlement_list"):
            raise PermissionDenied
        statement = selectors.statement_get(user=request.user, statement_id=pk)
        return Response(StatementDetailSerializer(statement).data)
