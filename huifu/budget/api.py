"""REST API for the budget, /api/v1/budget/. Thin: serializers parse, selectors read, services write.
Money is sent and returned as strings with two decimals ("12345.60")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.http import require_perm
from huifu.files.api import api_file_url

from . import selectors, services

MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}


class PoolSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    department = serializers.CharField(source="department.name_zh", read_only=True)
    amount = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    remaining = serializers.DecimalField(**MONEY)
    status = serializers.CharField(read_only=True)


class InvoiceSerializer(serializers.Serializer):
    number = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(**MONEY)
    issue_date = serializers.DateField(read_only=True)
    buyer_name = serializers.CharField(read_only=True)
    file_url = serializers.SerializerMethodField()

    def get_file_url(self, invoice: Any) -> str:
        return api_file_url(invoice.file_id)


class PaymentSerializer(serializers.Serializer):
    payee_name = serializers.CharField(read_only=True)
    bank_name = serializers.CharField(read_only=True)
    bank_account = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(**MONEY)
    paid_on = serializers.DateField(read_only=True)
    reference = serializers.CharField(read_only=True)


class AllocationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    pool = serializers.CharField(source="pool.__str__", read_only=True)
    kind = serializers.CharField(source="target_type.model", read_only=True)
    target_id = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    organisation = serializers.CharField(source="organisation.name_zh", read_only=True)
    requested_amount = serializers.DecimalField(**MONEY)
    approved_amount = serializers.DecimalField(**MONEY)
    invoiced = serializers.DecimalField(**MONEY)
    paid = serializers.DecimalField(**MONEY)
    payable = serializers.DecimalField(**MONEY)
    status = serializers.CharField(read_only=True)


class AllocationDetailSerializer(AllocationSerializer):
    invoices = serializers.SerializerMethodField()
    payments = serializers.SerializerMethodField()

    @extend_schema_field(InvoiceSerializer(many=True))
    def get_invoices(self, allocation: Any) -> Any:
        return InvoiceSerializer(selectors.allocation_invoices(allocation), many=True).data

    @extend_schema_field(PaymentSerializer(many=True))
    def get_payments(self, allocation: Any) -> Any:
        return PaymentSerializer(selectors.allocation_payments(allocation), many=True).data


class InvoiceWriteSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40)
    amount = serializers.CharField(max_length=20)
    issue_date = serializers.DateField()
    buyer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    file = serializers.FileField()


class PaymentWriteSerializer(serializers.Serializer):
    payee_name = serializers.CharField(max_length=200)
    bank_name = serializers.CharField(max_length=200)
    bank_account = serializers.CharField(max_length=40)
    amount = serializers.CharField(max_length=20)
    paid_on = serializers.DateField()
    reference = serializers.CharField(max_length=80)


class PoolListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=PoolSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "budget.view_pool_list")
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.pool_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(PoolSerializer(page, many=True).data)


class PoolDetailView(APIView):
    @extend_schema(responses=PoolSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "budget.view_pool")
        return Response(PoolSerializer(selectors.pool_get(user=request.user, pool_id=pk)).data)


class AllocationListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=AllocationSerializer(many=True))
    def get(self, request: Request) -> Response:
        require_perm(request, "budget.view_allocation_list")
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.allocation_list(user=request.user), request, view=self)
        return paginator.get_paginated_response(AllocationSerializer(page, many=True).data)


class AllocationDetailView(APIView):
    @extend_schema(responses=AllocationDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "budget.view_allocation_list")
        allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
        return Response(AllocationDetailSerializer(allocation).data)


class InvoiceCreateView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=InvoiceWriteSerializer, responses={201: AllocationDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "budget.view_allocation_list")
        allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
        require_perm(request, "budget.register_invoice", allocation)
        s = InvoiceWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.invoice_register(allocation=allocation, actor=request.user, **s.validated_data)
        allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
        return Response(AllocationDetailSerializer(allocation).data, status=status.HTTP_201_CREATED)


class PaymentCreateView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(request=PaymentWriteSerializer, responses={201: AllocationDetailSerializer})
    def post(self, request: Request, pk: int) -> Response:
        require_perm(request, "budget.view_allocation_list")
        allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
        require_perm(request, "budget.record_payment", allocation)
        s = PaymentWriteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        services.payment_record(allocation=allocation, actor=request.user, **s.validated_data)
        allocation = selectors.allocation_get(user=request.user, allocation_id=pk)
        return Response(AllocationDetailSerializer(allocation).data, status=status.HTTP_201_CREATED)
