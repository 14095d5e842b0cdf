"""REST API for investor-education sessions, /api/v1/events/ (read; writes go through the pages
and services). Scoped like the pages: staff read every session, a co-organiser its own; the
online link only to those who may manage the session."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huifu.api.pagination import Pagination
from huifu.core.filters import api_filter

from . import selectors
from .filters import SessionFilter


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    # A member analyst's company from the directory; the organisation as typed for the others.
    organisation_name = serializers.CharField(source="affiliation")


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    series = serializers.CharField(source="series.title_zh")
    series_kind = serializers.CharField(source="series.kind")
    title = serializers.CharField()
    date = serializers.DateField()
    slot = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mode = serializers.CharField()
    room = serializers.CharField()
    address = serializers.CharField()
    capacity = serializers.IntegerField(allow_null=True)
    platform = serializers.CharField()
    topic_type = serializers.CharField()
    audiences = serializers.ListField(child=serializers.CharField())
    state = serializers.CharField()
    products = serializers.SerializerMethodField()
    co_organisers = serializers.SerializerMethodField()
    speakers = SpeakerSerializer(many=True, source="speakers.all")

    def get_products(self, session: Any) -> list[str]:
        return [p.code for p in session.products.all()]

    def get_co_organisers(self, session: Any) -> list[str]:
        return [o.name_zh for o in session.co_organisers.all()]


class SessionDetailSerializer(SessionSerializer):
    programme = serializers.CharField()
    link = serializers.CharField()
    warnings = serializers.SerializerMethodField()

    def get_warnings(self, session: Any) -> list[str]:
        return selectors.date_warnings(session.date)


class SessionListView(APIView):
    pagination_class = Pagination  # the schema then describes the page this view returns

    @extend_schema(
        summary="Investor-education sessions the user manages or follows", responses=SessionSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        if not request.user.has_perm("events.view_session_list"):
            raise PermissionDenied
        # the page's filters, declared once (events/filters.py): a bad value is a 400 naming it
        qs = api_filter(SessionFilter, request, selectors.session_list(user=request.user))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(SessionSerializer(page, many=True).data)


class SessionDetailView(APIView):
    @extend_schema(summary="One investor-education session", responses=SessionDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        if not request.user.has_perm("events.view_session_list"):
            raise PermissionDenied
        return Response(SessionDetailSerializer(selectors.session_get(user=request.user, session_id=pk)).data)
