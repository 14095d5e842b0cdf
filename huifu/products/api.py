"""REST API for products, /api/v1/products/ (read for every logged-in user, PATCH for staff)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter

from . import selectors, services
from .filters import ProductFilter
from .models import Product


class ProductSerializer(serializers.ModelSerializer):
    underlying = serializers.CharField(source="underlying.code", default=None, read_only=True)

    class Meta:
        model = Product
        fields = [
            "code",
            "name_zh",
            "name_en",
            "exchange",
            "kind",
            "underlying",
            "listed_on",
            "is_active",
            "contract_multiplier",
            "unit",
            "fee_basis",
            "fee_per_lot",
            "fee_rate",
            "sort_order",
        ]
        read_only_fields = fields


class ProductWriteSerializer(serializers.Serializer):
    name_zh = serializers.CharField(max_length=60, required=False)
    name_en = serializers.CharField(max_length=100, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    listed_on = serializers.DateField(required=False, allow_null=True)
    contract_multiplier = serializers.DecimalField(max_digits=12, decimal_places=4, required=False)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    fee_basis = serializers.ChoiceField(choices=["per_lot", "turnover_rate"], required=False)
    fee_per_lot = serializers.DecimalField(max_digits=10, decimal_places=4, required=False, allow_null=True)
    fee_rate = serializers.DecimalField(max_digits=10, decimal_places=8, required=False, allow_null=True)
    sort_order = serializers.IntegerField(min_value=0, required=False)


class ProductListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(
        parameters=[
            OpenApiParameter("exchange", str, description="Only products of this exchange"),
            OpenApiParameter("kind", str, description="Only products of this kind"),
            OpenApiParameter("q", str, description="Search in code and names"),
        ],
        responses=ProductSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("products.view_product_list"):
            raise PermissionDenied
        # the page's filters, declared once (products/filters.py): a bad value is a 400 naming it
        qs = api_filter(ProductFilter, request, selectors.product_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ProductSerializer(page, many=True).data)


class ProductDetailView(APIView):
    @extend_schema(responses=ProductSerializer)
    def get(self, request: Request, code: str) -> Response:
        if not request.user.has_perm("products.view_product_list"):
            raise PermissionDenied
        return Response(ProductSerializer(selectors.product_get(user=request.user, code=code)).data)

    @extend_schema(request=ProductWriteSerializer, responses=ProductSerializer)
    def patch(self, request: Request, code: str) -> Response:
        if not request.user.has_perm("products.change_product"):
            raise PermissionDenied
        product = selectors.product_get(user=request.user, code=code)
        serializer = ProductWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        product = services.product_update(actor=request.user, product=product, **serializer.validated_data)
        return Response(ProductSerializer(product).data)
