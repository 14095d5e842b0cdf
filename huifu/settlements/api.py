"""REST API for settlement statements, /api/v1/settlements/statements/: staff see all, a member
its own organisation's statements of approved runs; others' answer 404. Staff verify a run at
/api/v1/settlements/runs/<id>/verify/."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination

from . import selectors, services
from .explain import describe_all, is_private
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
        return describe_all(line.explanation, private=self.context.get("private", True))


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
    summary = serializers.SerializerMethodField()
    acceptance_result = serializers.SerializerMethodField()
    payout_ratio = serializers.SerializerMethodField()

    class Meta(StatementSerializer.Meta):
        fields = [
            *StatementSerializer.Meta.fields,
            "amount_before_caps",
            "acceptance_result",
            "payout_ratio",
            "summary",
            "lines",
        ]

    def get_summary(self, statement: SettlementStatement) -> list[str]:
        return describe_all(statement.explanation, private=self.context.get("private", True))

    def get_acceptance_result(self, statement: SettlementStatement) -> str:
        return selectors.statement_header(statement)["result"]

    def get_payout_ratio(self, statement: SettlementStatement) -> str | None:
        return selectors.statement_header(statement)["payout_ratio"]


class StatementListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=StatementSerializer(many=True))
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("settlements.view_settlement_list"):
            raise PermissionDenied
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.statements_for(request.user), request, view=self)
        return paginator.get_paginated_response(StatementSerializer(page, many=True).data)


class StatementDetailView(APIView):
    @extend_schema(responses=StatementDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm("settlements.view_settlement_list"):
            raise PermissionDenied
        statement = selectors.statement_get(user=request.user, statement_id=pk)
        private = is_private(request.user, statement.run)
        return Response(StatementDetailSerializer(statement, context={"private": private}).data)


class VerifiedLineSerializer(serializers.Serializer):
    member_number = serializers.CharField()
    position = serializers.IntegerField()
    line = serializers.CharField(source="label")
    stored = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    recomputed = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    matches = serializers.BooleanField()


class VerificationSerializer(serializers.Serializer):
    run = serializers.IntegerField(source="run.pk")
    computed = serializers.BooleanField(source="has_inputs")
    matches = serializers.BooleanField()
    stored_total = serializers.DecimalField(max_digits=18, decimal_places=2)
    recomputed_total = serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True)
    error = serializers.CharField()
    lines = VerifiedLineSerializer(many=True)


class RunVerifyView(APIView):
    """Staff: recompute a run from its stored inputs; match / mismatch per line."""

    @extend_schema(responses=VerificationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm("settlements.view_run"):
            raise PermissionDenied
        run = selectors.run_get(user=request.user, run_id=pk)
        return Response(VerificationSerializer(services.settlement_verification(run)).data)
