"""REST API for activities, /api/v1/activities/ (read; writes go through the pages and services).
Scoped like the pages: staff read all, an organisation its own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter

from . import selectors
from .filters import ActivityFilter


@extend_schema_serializer(component_name="MarketActivity")  # "Activity" is deepening's planned activity
class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name_zh")
    activity_type = serializers.CharField(
        source="activity_type.display_name", help_text="The type's English name in English, else the Chinese name."
    )
    activity_kind = serializers.CharField(source="activity_type.kind")
    university = serializers.CharField(
        allow_null=True, help_text="Campus activities: the university where it is held (null otherwise)."
    )
    status = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    online = serializers.BooleanField()
    venue = serializers.CharField()
    requested_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


class BudgetLineSerializer(serializers.Serializer):
    item = serializers.CharField()
    amount = serializers.CharField(help_text="Two decimals, e.g. 12345.60")


@extend_schema_serializer(component_name="MarketActivityDetail")
class ActivityDetailSerializer(ActivitySerializer):
    theme = serializers.CharField()
    plan = serializers.CharField()
    audience_expected = serializers.DictField()
    actual_attendance = serializers.DictField()
    budget_lines = serializers.SerializerMethodField()

    @extend_schema_field(BudgetLineSerializer(many=True))
    def get_budget_lines(self, activity: object) -> list[dict[str, str]]:
        return [{"item": line.item, "amount": f"{line.amount:.2f}"} for line in activity.budget_lines.all()]


class ActivityListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=ActivitySerializer(many=True))
    def get(self, request: Request) -> Response:
        """Activities the caller may see; ``?status=``, ``?year=``, ``?q=`` (as the page)."""
        if not request.user.has_perm("activities.view_activity_list"):
            raise PermissionDenied
        # the page's filters, declared once (activities/filters.py): a bad value is a 400 naming it
        qs = api_filter(ActivityFilter, request, selectors.activity_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ActivitySerializer(page, many=True).data)


class ActivityDetailView(APIView):
    @extend_schema(responses=ActivityDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm("activities.view_activity_list"):
            raise PermissionDenied
        return Response(ActivityDetailSerializer(selectors.activity_get(user=request.user, activity_id=pk)).data)
