"""REST API for the case library, /api/v1/cases/: readers list and read the published cases of
their audience; staff see every case (``?status=``). Writes stay on the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter
from huifu.core.http import require_perm
from huifu.files.api import api_file_url

from . import selectors
from .filters import CaseFilter
from .models import Case


class CaseFileSerializer(serializers.Serializer):
    name = serializers.CharField(source="file.original_name")
    content_type = serializers.CharField(source="file.content_type")
    caption = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, item: Any) -> str:
        return api_file_url(item.file_id)


class CaseSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise_display", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "title", "summary", "industry", "products", "enterprise", "audience", "status", "published_at"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    files = CaseFileSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "body", "source_label", "files"]
        read_only_fields = fields


class CaseListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(responses=CaseSerializer(many=True))
    def get(self, request: Request) -> Response:
        """Published cases for the caller's audience; ``?q=``, ``?industry=``, ``?product=`` (case
        managers: every case, and ``?status=``, ``?audience=``)."""
        require_perm(request, "cases.view_case_list")
        # the page's filters, declared once (cases/filters.py): a bad value is a 400 naming it
        qs = api_filter(CaseFilter, request, selectors.case_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)


class CaseDetailView(APIView):
    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        require_perm(request, "cases.view_case_list")
        return Response(CaseDetailSerializer(selectors.case_get(user=request.user, case_id=pk)).data)
